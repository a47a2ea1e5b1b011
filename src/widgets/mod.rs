//! Widgets shared by every lab: the playback bar, the six-metric dashboard and the live chart.

pub mod canvas;
pub mod chart;
pub mod dashboard;
pub mod export;
pub mod gantt;
pub mod guide;
pub mod heatmap;
pub mod monitor;
pub mod partitions;
pub mod playback;
pub mod scrubber;
pub mod share;
pub mod timeline;

pub use chart::{ChartData, TimeSeriesChart};
pub use dashboard::Dashboard;
pub use gantt::{BarState, Gantt, GanttBar, GanttData};
pub use guide::{Challenge, Experiment, Experiments, Explain, Explanation};
pub use heatmap::{Heatmap, HeatmapData};
pub use monitor::Monitor;
pub use partitions::PartitionBars;
pub use playback::PlaybackBar;
pub use scrubber::Scrubber;
pub use timeline::{FaultTimeline, Template};
