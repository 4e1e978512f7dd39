//! Sinks: where the engine hands each event as it happens.

use std::io::Write;

use crate::Event;

/// Where an [`Engine`](crate::Engine) hands its events, one at a time, as they happen.
///
/// Implemented by `Vec<Event>` (keeps them), [`JsonLines`] (writes each as a line of JSON),
/// [`Counter`] (counts them) and [`Discard`] (wants none: the engine then does not even build them).
pub trait Sink {
    /// Takes one event.
    fn event(&mut self, event: Event);

    /// Whether this sink wants events at all; when `false` the engine builds none (no utilities are
    /// computed, nothing is allocated).
    fn enabled(&self) -> bool {
        true
    }
}

impl Sink for Vec<Event> {
    fn event(&mut self, event: Event) {
        self.push(event);
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn event(&mut self, event: Event) {
        (**self).event(event);
    }

    fn enabled(&self) -> bool {
        (**self).enabled()
    }
}

/// A sink that wants no events.
#[derive(Clone, Copy, Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn event(&mut self, _event: Event) {}

    fn enabled(&self) -> bool {
        false
    }
}

/// A sink that counts events and keeps none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counter {
    /// Events seen so far.
    pub events: u64,
}

impl Sink for Counter {
    fn event(&mut self, _event: Event) {
        self.events += 1;
    }
}

/// A sink that writes each event as one line of JSON (the transcript format of
/// [`write_jsonl`](crate::write_jsonl)) as it happens. A write error is kept, later events are
/// dropped, and [`JsonLines::finish`] returns it.
#[derive(Debug)]
pub struct JsonLines<W: Write> {
    out: W,
    error: Option<std::io::Error>,
    written: u64,
}

impl<W: Write> JsonLines<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        Self { out, error: None, written: 0 }
    }

    /// Lines written so far.
    #[must_use]
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes and hands back the writer.
    ///
    /// # Errors
    /// The first write error.
    pub fn finish(mut self) -> std::io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Sink for JsonLines<W> {
    fn event(&mut self, event: Event) {
        if self.error.is_some() {
            return;
        }
        let line = serde_json::to_writer(&mut self.out, &event)
            .map_err(std::io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"));
        match line {
            Ok(()) => self.written += 1,
            Err(e) => self.error = Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_writes_one_line_per_event_and_keeps_the_first_error() {
        let mut sink = JsonLines::new(Vec::new());
        sink.event(Event::Accept { round: 0, time: 0.0, party: 1 });
        sink.event(Event::Reject { round: 1, time: 0.5, party: 0 });
        assert_eq!(sink.written(), 2);
        let text = String::from_utf8(sink.finish().unwrap()).unwrap();
        assert_eq!(crate::read_jsonl(&text).unwrap().len(), 2);

        #[derive(Debug)]
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut sink = JsonLines::new(Full);
        sink.event(Event::Accept { round: 0, time: 0.0, party: 1 });
        sink.event(Event::Accept { round: 0, time: 0.0, party: 1 });
        assert_eq!(sink.written(), 0);
        assert!(sink.finish().unwrap_err().to_string().contains("disk full"));
    }

    #[test]
    fn counter_counts_and_discard_wants_nothing() {
        let mut c = Counter::default();
        c.event(Event::Accept { round: 0, time: 0.0, party: 0 });
        assert_eq!(c.events, 1);
        assert!(c.enabled());
        assert!(!Discard.enabled());
    }
}
