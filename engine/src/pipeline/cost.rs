//! What each unit of work costs one core of the simulated cluster. The figures are round numbers
//! of the right order for a cloud Spark cluster reading from object storage; what the lab teaches
//! is how the plan changes the *amount* of work (files, bytes, rows), which the engine counts
//! exactly from the data.

/// Scheduling one task and setting it up on an executor.
pub const TASK_LAUNCH_US: f64 = 5_000.0;
/// Opening one file in object storage: the request, the listing entry, the footer/metadata read.
pub const FILE_OPEN_US: f64 = 30_000.0;
/// Read bandwidth from object storage, per core.
pub const READ_MB_S: f64 = 100.0;
/// Shuffle fetch bandwidth over the network, per core.
pub const NET_MB_S: f64 = 60.0;
/// Write bandwidth to object storage, per core.
pub const WRITE_MB_S: f64 = 60.0;
/// Parsing one 20-column row from a row format.
pub const DECODE_ROW_NS: f64 = 400.0;
/// Decoding one value of one column from a columnar format.
pub const DECODE_VALUE_NS: f64 = 8.0;
/// Decompressing one byte (about 2 GB/s of output per core).
pub const DECOMPRESS_NS_PER_BYTE: f64 = 0.5;
/// Evaluating the filter on one row.
pub const FILTER_NS: f64 = 5.0;
/// Looking one row up in a hash table and building the joined row.
pub const JOIN_NS: f64 = 80.0;
/// Adding one row into a hash aggregate.
pub const AGG_NS: f64 = 40.0;
/// Writing / reading one row to / from the in-memory cache.
pub const CACHE_WRITE_NS: f64 = 30.0;
pub const CACHE_READ_NS: f64 = 10.0;
/// The largest piece of a file one task reads (Spark's `spark.sql.files.maxPartitionBytes`).
pub const SPLIT_BYTES: f64 = 128.0 * 1024.0 * 1024.0;
/// File size a compaction aims for.
pub const LARGE_FILE_BYTES: f64 = 512.0 * 1024.0 * 1024.0;
/// Bytes of one order row on its way to the join (date, customer, amount, status + framing).
pub const SHUFFLE_ORDER_BYTES: f64 = 33.0;
/// Bytes of one joined row on its way to the aggregate (date, segment, country, amount + framing).
pub const JOINED_ROW_BYTES: f64 = 27.0;
/// Bytes of one partial sum (group key, count, sum + framing).
pub const PARTIAL_BYTES: f64 = 40.0;
/// Bytes of one report row written out.
pub const RESULT_ROW_BYTES: f64 = 40.0;

pub fn bytes_us(bytes: f64, mb_s: f64) -> f64 {
    bytes / (mb_s * 1024.0 * 1024.0) * 1e6
}

pub fn ns_us(count: f64, ns: f64) -> f64 {
    count * ns / 1000.0
}
