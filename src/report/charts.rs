//! Bar charts as inline SVG, drawn with `plotters` (its SVG backend only: no fonts, no
//! images; text is left to the browser, so Chinese labels show as they are).
//!
//! Every chart is an `<svg role="img">` named by its own `<title>` and described by its
//! `<desc>`; the page puts a table with the same figures beside it, so the chart is never the
//! only way in. The output depends on the figures alone, so it is byte-identical run to run.

use plotters::prelude::*;

use crate::text::escape_html;

/// Most bars one chart draws; the table beside it lists them all.
pub const MAX_BARS: usize = 30;

/// The colours of the series, in order: dark enough on white for text-like marks (3:1 at least).
pub const PALETTE: [&str; 5] = ["#1d70b8", "#d4351c", "#b35900", "#00703c", "#6f777b"];

/// Which way the bars run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Bars grow upwards from labels along the bottom (months, weight bands).
    Vertical,
    /// Bars grow rightwards from labels down the left (sections, owners).
    Horizontal,
}

/// One series of values, one per category; several series are stacked.
#[derive(Debug, Clone)]
pub struct Series {
    /// Its name, for the legend.
    pub name: String,
    /// Index into [`PALETTE`].
    pub colour: usize,
    /// One value per category.
    pub values: Vec<u64>,
}

/// A bar chart to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Unique id in the page (used for the title and description ids).
    pub id: String,
    /// Its accessible name.
    pub title: String,
    /// Its accessible description: what it shows, in a sentence or two.
    pub desc: String,
    /// The label of each bar (at most [`MAX_BARS`] are drawn).
    pub categories: Vec<String>,
    /// The series, stacked in order.
    pub series: Vec<Series>,
    /// Which way the bars run.
    pub direction: Direction,
    /// What the values count (`pages`, `days`), for the value axis.
    pub unit: String,
}

/// A chart that `plotters` could not draw.
#[derive(Debug, thiserror::Error)]
#[error("could not draw the chart `{id}`: {message}")]
pub struct ChartError {
    id: String,
    message: String,
}

/// The chart as an accessible inline `<svg>` element.
pub fn svg(chart: &Chart) -> Result<String, ChartError> {
    let fail = |e: &dyn std::fmt::Display| ChartError { id: chart.id.clone(), message: e.to_string() };
    let bars = chart.categories.len().clamp(1, MAX_BARS);
    let size = match chart.direction {
        Direction::Vertical => (760, 320),
        Direction::Horizontal => (760, 100 + 26 * bars as u32),
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        draw(chart, bars, &root).map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(accessible(&out, chart))
}

/// The running total of each category over the series drawn.
fn totals(chart: &Chart, bars: usize) -> Vec<u64> {
    (0..bars).map(|i| chart.series.iter().map(|s| s.values.get(i).copied().unwrap_or(0)).sum()).collect()
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Draw the axes and the stacked bars.
fn draw(chart: &Chart, bars: usize, root: &Area<'_>) -> Result<(), Box<dyn std::error::Error + 'static>> {
    let max = totals(chart, bars).into_iter().max().unwrap_or(0).max(1);
    let top = max + max.div_ceil(10);
    // Horizontal bars count upwards from the axis: the first category goes at the top.
    let slot = |i: u32| match chart.direction {
        Direction::Vertical => i,
        Direction::Horizontal => (bars as u32).saturating_sub(i + 1),
    };
    // A segmented axis over `0..n` has a segment for each of `0..=n`: ending it at the last
    // bar leaves no empty slot past it (the end of the last bar falls on the axis' end). One
    // bar keeps a second, empty slot, since a range of one value has no width to map onto.
    let last = (bars as u32).saturating_sub(1).max(1);
    // Any slot past the last bar stays unlabelled.
    let label = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) if (*i as usize) < bars => {
            chart.categories.get(slot(*i) as usize).map(|c| shorten(c)).unwrap_or_default()
        }
        _ => String::new(),
    };
    let mut builder = ChartBuilder::on(root);
    builder.margin(12);
    let style = ("sans-serif", 13).into_font().color(&BLACK);
    match chart.direction {
        Direction::Vertical => {
            let mut plot = builder
                .x_label_area_size(36)
                .y_label_area_size(56)
                .build_cartesian_2d((0u32..last).into_segmented(), 0u64..top)?;
            plot.configure_mesh()
                .disable_x_mesh()
                .light_line_style(TRANSPARENT)
                .x_labels(bars)
                .x_label_formatter(&label)
                .y_desc(chart.unit.as_str())
                .label_style(style.clone())
                .axis_desc_style(style)
                .draw()?;
            for (s, base, value, i) in stacks(chart, bars) {
                let (x0, x1) = (SegmentValue::Exact(i), SegmentValue::Exact(i + 1));
                let mut bar = Rectangle::new([(x0, base), (x1, base + value)], colour(s).filled());
                bar.set_margin(0, 0, 6, 6);
                plot.draw_series(std::iter::once(bar))?;
            }
        }
        Direction::Horizontal => {
            let mut plot = builder
                .x_label_area_size(40)
                .y_label_area_size(200)
                .build_cartesian_2d(0u64..top, (0u32..last).into_segmented())?;
            plot.configure_mesh()
                .disable_y_mesh()
                .light_line_style(TRANSPARENT)
                .y_labels(bars)
                .y_label_formatter(&label)
                .x_desc(chart.unit.as_str())
                .label_style(style.clone())
                .axis_desc_style(style)
                .draw()?;
            for (s, base, value, i) in stacks(chart, bars) {
                let (y0, y1) = (SegmentValue::Exact(slot(i)), SegmentValue::Exact(slot(i) + 1));
                let mut bar = Rectangle::new([(base, y0), (base + value, y1)], colour(s).filled());
                bar.set_margin(4, 4, 0, 0);
                plot.draw_series(std::iter::once(bar))?;
            }
        }
    }
    Ok(())
}

/// Each non-empty piece of a stacked bar: (series, where it starts, its value, category).
fn stacks(chart: &Chart, bars: usize) -> Vec<(&Series, u64, u64, u32)> {
    let mut pieces = Vec::new();
    for i in 0..bars {
        let mut base = 0;
        for series in &chart.series {
            let value = series.values.get(i).copied().unwrap_or(0);
            if value > 0 {
                pieces.push((series, base, value, i as u32));
            }
            base += value;
        }
    }
    pieces
}

/// A series' colour.
fn colour(series: &Series) -> RGBColor {
    let hex = PALETTE[series.colour % PALETTE.len()].trim_start_matches('#');
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    RGBColor(byte(0), byte(2), byte(4))
}

/// A label short enough for the axis (the table gives it whole).
fn shorten(label: &str) -> String {
    const MAX: usize = 26;
    if label.chars().count() <= MAX {
        return label.to_string();
    }
    let mut short: String = label.chars().take(MAX - 1).collect();
    short.push('…');
    short
}

/// The drawing as an accessible, scalable image: `role="img"`, named by its `<title>` and
/// described by its `<desc>`, sized by the page rather than in pixels.
fn accessible(svg: &str, chart: &Chart) -> String {
    let id = &chart.id;
    let Some(open_end) = svg.find('>') else { return svg.to_string() };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen("<svg ", "", 1);
    let open = open
        .split(' ')
        .filter(|attr| !attr.starts_with("width=") && !attr.starts_with("height="))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" {open}>\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        escape_html(&chart.title),
        escape_html(&chart.desc),
        rest.get(1..).unwrap_or("").trim_start()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(direction: Direction) -> Chart {
        Chart {
            id: "c".into(),
            title: "Pages <per> owner".into(),
            desc: "Two owners.".into(),
            categories: vec!["户政".into(), "Passports".into()],
            series: vec![
                Series { name: "a".into(), colour: 0, values: vec![3, 1] },
                Series { name: "b".into(), colour: 1, values: vec![0, 2] },
            ],
            direction,
            unit: "pages".into(),
        }
    }

    #[test]
    fn charts_are_named_described_and_repeatable() {
        for direction in [Direction::Vertical, Direction::Horizontal] {
            let first = svg(&chart(direction)).expect("drawn");
            assert!(
                first.starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"c-title\""),
                "{first}"
            );
            assert!(first.contains("<title id=\"c-title\">Pages &lt;per&gt; owner</title>"), "{first}");
            assert!(first.contains("<desc id=\"c-desc\">Two owners.</desc>"));
            assert!(first.contains("户政") && first.contains("viewBox="), "{first}");
            assert_eq!(first.matches("\n户政\n").count(), 1, "each label once: {first}");
            let open = first.split('>').next().unwrap_or("");
            assert!(!open.contains("width=") && !open.contains("height="), "fixed size left in: {open}");
            assert_eq!(first.matches("<rect").count() - 1, 3, "a background and three bar pieces: {first}");
            assert_eq!(first, svg(&chart(direction)).expect("drawn"));
        }
    }
}
