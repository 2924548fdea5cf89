//! Chart stylesheet: returns the CSS fragment that styles every class the charts use, with
//! colours as custom properties in a light and a dark (`prefers-color-scheme`) theme.
//!
//! Classes: on `<svg>`: `chart`, `chart-line|bars|spark|burndown|beforeafter`; groups:
//! `band`, `breach`, `focus` (the period a page is about), `grid`, `ann` + `ann-{kind}`, `th`,
//! `split`, `seg` + `seg-before|after`,
//! `s` + `s-primary|secondary|median|ideal`, `bar`, `partial` (on `bar` or `s`: a period
//! cut short by `as_of`), `last`, `ax` + `ax-y|ax-x|unit`,
//! `frame`, `nodata`, `off` (the value of an SLI axis's lowest day drawn on its floor), `alt` (every other x label, hidden on a phone); HTML: `chart-data`, `chart-anns`, `ann-kind`. Reference bands share
//! one neutral colour, never red or green: the clusters are context, not grades.

/// Appended to the site stylesheet by the render stage. Sizes are user units, which the page
/// scales with the chart's width: 13 units are 13 px at 640 px wide, 11 px on an incident
/// page's half-width chart. A phone's chart is about 360 px wide (0.56 px a unit), so at
/// most 40rem the text grows to 19 units (10.7 px) and every other x label is hidden.
pub const CHART_CSS: &str = r#"/* charts */
:root{--chart-fg:#1f2328;--chart-muted:#59636e;--chart-grid:#d8dee4;--chart-bg:#fff;
--chart-primary:#0969da;--chart-secondary:#8250df;--chart-median:#9a6700;--chart-ideal:#6e7781;
--chart-band:#6e7781;--chart-breach:#d1242f;--chart-threshold:#1f2328;
--ann-incident:#d1242f;--ann-launch:#1a7f37;--ann-staffing:#8250df;--ann-migration:#0969da;
--ann-oncall:#bc4c00;--ann-freeze:#0598bc;--ann-intervention:#1f2328;--ann-definition:#6e7781}
@media (prefers-color-scheme:dark){:root{--chart-fg:#e6edf3;--chart-muted:#9198a1;
--chart-grid:#30363d;--chart-bg:#0d1117;--chart-primary:#4493f8;--chart-secondary:#ab7df8;
--chart-median:#d29922;--chart-ideal:#9198a1;--chart-band:#9198a1;--chart-breach:#f85149;
--chart-threshold:#e6edf3;--ann-incident:#f85149;--ann-launch:#3fb950;--ann-staffing:#ab7df8;
--ann-migration:#4493f8;--ann-oncall:#db6d28;--ann-freeze:#39c5cf;--ann-intervention:#e6edf3;
--ann-definition:#9198a1}}
.chart{display:block;max-width:100%;height:auto;font:13px system-ui,sans-serif;overflow:visible}
.chart text{fill:var(--chart-muted)}
.chart .seg text{paint-order:stroke;stroke:var(--chart-bg);stroke-width:3px;stroke-linejoin:round}
.chart path{fill:none;stroke-width:1;stroke-linejoin:round;stroke-linecap:round;vector-effect:non-scaling-stroke}
.chart .grid path{stroke:var(--chart-grid)}
.chart .ax-y text{text-anchor:end}
.chart .ax-x text,.chart .nodata text{text-anchor:middle}
.chart .off.left text{text-anchor:end}
.chart .off text{fill:var(--chart-fg);paint-order:stroke;stroke:var(--chart-bg);stroke-width:3px}
.chart .nodata text{font-size:15px}
.chart .frame rect{fill:none;stroke:var(--chart-grid)}
.chart .band rect{fill:var(--chart-band);fill-opacity:.08}
.chart .band path{stroke:var(--chart-band);stroke-opacity:.5;stroke-dasharray:2 3}
.chart .band text,.chart .th text{fill:var(--chart-fg);font-size:12px}
.chart .breach rect{fill:var(--chart-breach);fill-opacity:.1}
.chart .focus rect{fill:var(--chart-band);fill-opacity:.12}
.chart .th path{stroke:var(--chart-threshold);stroke-dasharray:5 3}
.chart .ann{cursor:help}
.chart .ann-incident{color:var(--ann-incident)}.chart .ann-launch{color:var(--ann-launch)}
.chart .ann-staffing{color:var(--ann-staffing)}.chart .ann-migration{color:var(--ann-migration)}
.chart .ann-oncall{color:var(--ann-oncall)}.chart .ann-freeze{color:var(--ann-freeze)}
.chart .ann-intervention{color:var(--ann-intervention)}.chart .ann-definition{color:var(--ann-definition)}
.chart path.ann{stroke:currentColor;stroke-width:1.5;stroke-opacity:.7}
.chart path.ann:hover{stroke-width:3;stroke-opacity:1}
.chart rect.ann{fill:currentColor;fill-opacity:.1}
.chart rect.ann:hover{fill-opacity:.25}
.chart .split path{stroke:var(--ann-intervention);stroke-dasharray:3 3}
.chart .seg path{stroke:var(--chart-fg);stroke-width:2}
.chart .seg text{fill:var(--chart-fg)}
.chart .s-primary{color:var(--chart-primary)}.chart .s-secondary{color:var(--chart-secondary)}
.chart .s-median{color:var(--chart-median)}.chart .s-ideal{color:var(--chart-ideal)}
.chart .s path{stroke:currentColor;stroke-width:1.5}
.chart .s circle{fill:currentColor}
.chart .s-median path{stroke-width:2;stroke-dasharray:6 3}
.chart .s-ideal path{stroke-dasharray:4 4}
.chart .bar path{fill:var(--chart-primary);fill-opacity:.8;stroke:none}
.chart .bar.partial path{fill-opacity:.25;stroke:var(--chart-primary);stroke-width:1;stroke-dasharray:3 2}
.chart .s.partial path{stroke-dasharray:3 3}
.chart .s.partial circle{fill:var(--chart-bg);stroke:currentColor;stroke-width:1.5}
.chart .last circle{fill:var(--chart-primary)}
.chart-data table{border-collapse:collapse;font-variant-numeric:tabular-nums}
.chart-data th,.chart-data td{padding:.1em .6em;text-align:right}
.chart-data th[scope=row]{text-align:left}
.chart-anns .ann-kind{font-size:.85em;color:var(--chart-muted)}
@media (max-width:40rem){.chart{font-size:19px}.chart .band text,.chart .th text{font-size:17px}
.chart .ax-x.alt{display:none}}
"#;

#[cfg(test)]
mod tests {
    use super::CHART_CSS;

    #[test]
    fn every_class_the_charts_write_is_styled_in_both_themes() {
        for class in [
            ".band",
            ".breach",
            ".focus",
            ".grid",
            ".ann-incident",
            ".ann-definition",
            ".th",
            ".split",
            ".seg",
            ".s-primary",
            ".s-median",
            ".s-ideal",
            ".bar",
            ".partial",
            ".last",
            ".ax-y",
            ".ax-x",
            ".frame",
            ".nodata",
            ".chart-data",
            ".chart-anns",
        ] {
            assert!(CHART_CSS.contains(class), "{class} is not styled");
        }
        let dark = &CHART_CSS[CHART_CSS.find("prefers-color-scheme:dark").unwrap()..];
        for var in [
            "--chart-primary:",
            "--chart-band:",
            "--ann-incident:",
            "--chart-bg:",
        ] {
            assert!(
                CHART_CSS.matches(var).count() == 2 && dark.contains(var),
                "{var}"
            );
        }
    }
}
