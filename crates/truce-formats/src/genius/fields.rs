//! Reading GENIUS attributes with diagnostics: a missing attribute or a malformed number is an error
//! at the attribute's position.

use super::xml::Element;
use crate::report::Report;

impl Report<'_> {
    /// A required attribute's text; an error when it is missing.
    pub fn required<'e>(&mut self, element: &'e Element<'_>, name: &str) -> Option<&'e str> {
        let value = element.get(name);
        if value.is_none() {
            self.error(
                "genius-missing-attribute",
                element.offset,
                format!("<{}> has no `{name}` attribute", element.name),
            );
        }
        value
    }

    /// A required finite number.
    pub fn number(&mut self, element: &Element<'_>, name: &str) -> Option<f64> {
        self.required(element, name)?;
        self.optional_number(element, name)
    }

    /// An optional finite number: `None` when absent (or invalid, with an error recorded).
    pub fn optional_number(&mut self, element: &Element<'_>, name: &str) -> Option<f64> {
        let attr = element.attr(name)?;
        match attr.value.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            Ok(_) => {
                self.error(
                    "genius-invalid-number",
                    attr.offset,
                    format!(
                        "`{name}` of <{}> is `{}`: expected a finite number",
                        element.name,
                        crate::report::excerpt(&attr.value)
                    ),
                );
                None
            }
            Err(_) => {
                self.error(
                    "genius-invalid-number",
                    attr.offset,
                    format!(
                        "`{name}` of <{}> is `{}`: expected a number",
                        element.name,
                        crate::report::excerpt(&attr.value)
                    ),
                );
                None
            }
        }
    }

    /// A required integer.
    pub fn integer(&mut self, element: &Element<'_>, name: &str) -> Option<i64> {
        self.required(element, name)?;
        self.optional_integer(element, name)
    }

    /// An optional integer: `None` when absent (or invalid, with an error recorded).
    pub fn optional_integer(&mut self, element: &Element<'_>, name: &str) -> Option<i64> {
        let attr = element.attr(name)?;
        match attr.value.trim().parse::<i64>() {
            Ok(x) => Some(x),
            Err(_) => {
                self.error(
                    "genius-invalid-number",
                    attr.offset,
                    format!(
                        "`{name}` of <{}> is `{}`: expected an integer",
                        element.name,
                        crate::report::excerpt(&attr.value)
                    ),
                );
                None
            }
        }
    }
}
