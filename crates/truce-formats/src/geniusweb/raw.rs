//! The GeniusWeb JSON shapes, as serde reads them. Maps keep their file order (issue order matters)
//! and refuse repeated keys; numbers may be JSON numbers or numeric strings (GeniusWeb's
//! `BigDecimal`s). Checks that need only one value happen here, so that serde_json reports them
//! with the line and column it is at.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A JSON object with its keys in file order.
#[derive(Debug)]
pub(crate) struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> OrderedMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<(String, V)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("the key `{key}` appears twice")));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// A finite number, written as a JSON number or a numeric string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Num(pub f64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl Visitor<'_> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                if v.is_finite() { Ok(Num(v)) } else { Err(E::custom(format!("{v} is not a finite number"))) }
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                match v.trim().parse::<f64>() {
                    Ok(x) => self.visit_f64(x),
                    Err(_) => Err(E::custom(format!("`{}` is not a number", crate::report::excerpt(v)))),
                }
            }
        }
        deserializer.deserialize_any(NumVisitor)
    }
}

/// A utility in [0, 1], as GeniusWeb requires of every utility it stores.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Utility01(pub f64);

impl<'de> Deserialize<'de> for Utility01 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Num(x) = Num::deserialize(deserializer)?;
        if (0.0..=1.0).contains(&x) {
            Ok(Self(x))
        } else {
            Err(de::Error::custom(format!("utility {x} is outside [0, 1], as GeniusWeb requires")))
        }
    }
}

/// A weight: a non-negative number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Weight(pub f64);

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Num(x) = Num::deserialize(deserializer)?;
        if x >= 0.0 { Ok(Self(x)) } else { Err(de::Error::custom(format!("weight {x} is negative"))) }
    }
}

/// A value of a bid: a discrete value (a string) or a number.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RawValue {
    Text(String),
    Number(f64),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl Visitor<'_> for ValueVisitor {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Text(v.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// `{"name": ..., "issuesValues": {issue: value set}}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDomain {
    pub name: String,
    #[serde(rename = "issuesValues")]
    pub issues_values: OrderedMap<RawValueSet>,
}

/// `{"values": [...]}` or `{"range": {"low", "high", "step"}}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawValueSet {
    pub values: Option<Vec<String>>,
    pub range: Option<RawRange>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRange {
    pub low: Num,
    pub high: Num,
    pub step: Num,
}

/// A profile file: `{"<profile type>": {...}}`.
#[derive(Debug)]
pub(crate) enum RawProfileFile {
    LinearAdditive(Box<RawLinearAdditive>),
    Other(String),
}

impl<'de> Deserialize<'de> for RawProfileFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FileVisitor;
        impl<'de> Visitor<'de> for FileVisitor {
            type Value = RawProfileFile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with one key naming the profile type")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawProfileFile, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "an empty object: expected {\"LinearAdditiveUtilitySpace\": {...}}",
                    ));
                };
                let file = if key == "LinearAdditiveUtilitySpace" {
                    RawProfileFile::LinearAdditive(Box::new(map.next_value()?))
                } else {
                    map.next_value::<IgnoredAny>()?;
                    RawProfileFile::Other(key)
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a second key `{extra}`: a profile file holds one profile"
                    )));
                }
                Ok(file)
            }
        }
        deserializer.deserialize_map(FileVisitor)
    }
}

/// GeniusWeb's `LinearAdditiveUtilitySpace`, plus the keys NegMAS adds (`reserved_value`,
/// `discount_factor`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLinearAdditive {
    #[serde(rename = "issueUtilities")]
    pub issue_utilities: OrderedMap<RawValueSetUtilities>,
    #[serde(rename = "issueWeights")]
    pub issue_weights: OrderedMap<Weight>,
    pub domain: Option<RawDomain>,
    pub name: Option<String>,
    #[serde(rename = "reservationBid")]
    pub reservation_bid: Option<RawBid>,
    pub reserved_value: Option<Num>,
    pub discount_factor: Option<Num>,
}

/// `{"issuevalues": {issue: value}}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBid {
    pub issuevalues: OrderedMap<RawValue>,
}

/// The utilities of one issue's values, under either of GeniusWeb's type names.
#[derive(Debug)]
pub(crate) enum RawValueSetUtilities {
    Discrete(OrderedMap<Utility01>),
    Number(RawNumberUtilities),
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscreteUtilities {
    #[serde(rename = "valueUtilities")]
    value_utilities: OrderedMap<Utility01>,
}

/// A line between the utilities of the low and the high value.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNumberUtilities {
    #[serde(rename = "lowValue")]
    pub low_value: Num,
    #[serde(rename = "lowUtility")]
    pub low_utility: Utility01,
    #[serde(rename = "highValue")]
    pub high_value: Num,
    #[serde(rename = "highUtility")]
    pub high_utility: Utility01,
}

impl<'de> Deserialize<'de> for RawValueSetUtilities {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UtilsVisitor;
        impl<'de> Visitor<'de> for UtilsVisitor {
            type Value = RawValueSetUtilities;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("{\"discreteutils\": {...}} or {\"numberutils\": {...}}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValueSetUtilities, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom("empty utilities: expected discreteutils or numberutils"));
                };
                let utils = match key.as_str() {
                    "discreteutils" | "DiscreteValueSetUtilities" => RawValueSetUtilities::Discrete(
                        map.next_value::<RawDiscreteUtilities>()?.value_utilities,
                    ),
                    "numberutils" | "NumberValueSetUtilities" => {
                        RawValueSetUtilities::Number(map.next_value()?)
                    }
                    other => {
                        return Err(de::Error::custom(format!(
                            "unknown value-set utilities `{other}`: expected discreteutils or numberutils"
                        )));
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a second key `{extra}` in one issue's utilities"
                    )));
                }
                Ok(utils)
            }
        }
        deserializer.deserialize_map(UtilsVisitor)
    }
}
