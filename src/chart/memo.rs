//! Charts drawn before, kept by id with the spec each was drawn from, so that `serve`'s
//! incremental rebuilds draw again only the charts whose spec changed. `Memo::draw` gives
//! exactly what `draw` gives for the same spec; only the time differs.

use super::{draw, Chart, ChartSpec};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

/// A chart and the spec it was drawn from.
type Drawn = (Arc<ChartSpec>, Arc<Chart>);

/// The charts drawn by earlier builds, by chart id (the latest spec drawn under each id).
#[derive(Default)]
pub struct Memo {
    drawn: Mutex<FxHashMap<String, Drawn>>,
}

impl Memo {
    /// `draw(spec)`: the chart drawn before under the same id when its spec was equal.
    pub fn draw(&self, spec: &ChartSpec) -> Arc<Chart> {
        let before = self.lock().get(&spec.id).cloned();
        if let Some((was, chart)) = before {
            if *was == *spec {
                return chart;
            }
        }
        let chart = Arc::new(draw(spec));
        let drawn = (Arc::new(spec.clone()), Arc::clone(&chart));
        self.lock().insert(spec.id.clone(), drawn);
        chart
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<String, Drawn>> {
        // A panic while holding the lock leaves the map whole (one insert or none).
        self.drawn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Draws `spec`, through `memo` when there is one.
pub fn draw_with(memo: Option<&Memo>, spec: &ChartSpec) -> Arc<Chart> {
    match memo {
        Some(m) => m.draw(spec),
        None => Arc::new(draw(spec)),
    }
}
