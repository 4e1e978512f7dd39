//! Label placement: a greedy pass that puts each label at the first of a list of candidate positions
//! around its point (right, left, above, below, then the diagonals, then the same farther out) whose
//! box stays inside the plot and overlaps no text, mark or label already placed. A label that finds
//! no place is drawn nowhere: the caller lists it in a key instead, so that nothing is ever drawn over
//! something else.

use super::canvas::{Anchor, Canvas, Rect, Stroke, Text, text_box};

/// A label given a place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Placed {
    pub x: f64,
    pub y: f64,
    pub anchor: Anchor,
    pub rect: Rect,
    /// Whether it sits far from its point, with a leader line drawn to it.
    pub leader: bool,
}

/// The greedy placer: the boxes taken so far and the area labels must stay in.
pub(crate) struct Placer {
    bounds: Rect,
    taken: Vec<Rect>,
    /// Space kept free around each label.
    gap: f64,
}

impl Placer {
    pub(crate) fn new(bounds: Rect) -> Self {
        Self { bounds, taken: Vec::new(), gap: 1.5 }
    }

    /// Marks `rect` as taken (a text, a marker, a legend).
    pub(crate) fn block(&mut self, rect: Rect) {
        self.taken.push(rect);
    }

    fn free(&self, r: &Rect) -> bool {
        let grown = r.grow(self.gap);
        self.bounds.contains(r) && !self.taken.iter().any(|t| t.overlaps(&grown))
    }

    /// The place of `text` (at `size` pixels) next to the point `at`, taken from here on; `None`
    /// when every candidate position is taken.
    pub(crate) fn place(&mut self, at: (f64, f64), text: &str, size: f64, bold: bool) -> Option<Placed> {
        let (x, y) = at;
        // Half the text's height: a baseline this far below a point centres the text on it.
        let mid = 0.35 * size;
        for (ring, d) in [5.0, 9.0, 15.0, 24.0, 36.0, 52.0].into_iter().enumerate() {
            let candidates = [
                (x + d, y + mid, Anchor::Start),
                (x - d, y + mid, Anchor::End),
                (x, y - d, Anchor::Middle),
                (x, y + d + 0.93 * size, Anchor::Middle),
                (x + d * 0.7, y - d * 0.7, Anchor::Start),
                (x - d * 0.7, y - d * 0.7, Anchor::End),
                (x + d * 0.7, y + d * 0.7 + 0.93 * size, Anchor::Start),
                (x - d * 0.7, y + d * 0.7 + 0.93 * size, Anchor::End),
            ];
            for (cx, cy, anchor) in candidates {
                let rect = text_box(text, cx, cy, size, anchor, bold);
                if self.free(&rect) {
                    self.taken.push(rect);
                    return Some(Placed { x: cx, y: cy, anchor, rect, leader: ring >= 3 });
                }
            }
        }
        None
    }

    /// Places `text` next to `at` and writes it (with a leader line when it sits far away);
    /// `false` when it found no place and was not written.
    pub(crate) fn label(&mut self, canvas: &mut Canvas, at: (f64, f64), text: &str, style: Text<'_>) -> bool {
        let Some(p) = self.place(at, text, style.size, style.bold) else { return false };
        if p.leader {
            let (cx, cy) = (p.rect.x0.max(at.0.min(p.rect.x1)), p.rect.y0.max(at.1.min(p.rect.y1)));
            canvas.line(at, (cx, cy), Stroke::solid("#888", 0.6));
        }
        canvas.text(p.x, p.y, text, style.anchor(p.anchor).halo());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_one_point_never_overlap() {
        let mut placer = Placer::new(Rect::new(0.0, 0.0, 400.0, 300.0));
        let placed: Vec<Placed> = (0..12)
            .filter_map(|k| placer.place((200.0, 150.0), &format!("label {k}"), 12.0, false))
            .collect();
        assert!(placed.len() >= 10, "room for most around an empty point: {}", placed.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(Rect::new(0.0, 0.0, 400.0, 300.0).contains(&a.rect));
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn labels_stay_inside_and_avoid_what_is_blocked() {
        let mut placer = Placer::new(Rect::new(0.0, 0.0, 200.0, 100.0));
        // A point at the right edge: its label goes left.
        let p = placer.place((198.0, 50.0), "Nash", 12.0, false).unwrap();
        assert_eq!(p.anchor, Anchor::End);
        let mut placer = Placer::new(Rect::new(0.0, 0.0, 200.0, 100.0));
        let block = Rect::new(100.0, 30.0, 200.0, 70.0);
        placer.block(block);
        let p = placer.place((100.0, 50.0), "KS", 12.0, false).unwrap();
        assert!(!p.rect.overlaps(&block));
    }

    #[test]
    fn a_crowded_plot_refuses_rather_than_overlaps() {
        let mut placer = Placer::new(Rect::new(0.0, 0.0, 60.0, 20.0));
        let first = placer.place((30.0, 10.0), "wide label", 12.0, false);
        let second = placer.place((30.0, 10.0), "wide label", 12.0, false);
        assert!(first.is_none() || second.is_none());
    }

    /// Against brute force: many random points, each label checked against every other.
    #[test]
    fn greedy_placement_has_no_collisions_on_random_points() {
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            #[allow(clippy::cast_precision_loss)]
            let x = (seed >> 11) as f64 / (1u64 << 53) as f64;
            x
        };
        let bounds = Rect::new(0.0, 0.0, 500.0, 400.0);
        let mut placer = Placer::new(bounds);
        let mut placed = Vec::new();
        for k in 0..80 {
            let at = (next() * 500.0, next() * 400.0);
            if let Some(p) = placer.place(at, &format!("p{k}"), 11.0, false) {
                placed.push(p);
            }
        }
        assert!(placed.len() > 40);
        for (i, a) in placed.iter().enumerate() {
            assert!(bounds.contains(&a.rect));
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect));
            }
        }
    }
}
