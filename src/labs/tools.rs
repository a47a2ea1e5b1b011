//! The real tools: a map of the tools by category, each tied to the lab that shows its idea; for
//! every lab, what its knobs are called in the real world; a real Spark log imported; and the
//! MapReduce job exported to PySpark. ScaleLab does not pretend to be Spark or Kafka: it reads
//! what they produce and writes what they run.

use super::sparklog::SparkLogView;
use scalelab_engine::mapreduce::job::Job;
use scalelab_engine::mapreduce::pyspark::{readme, script};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// (tool, what it does, the slug of the lab that shows its idea)
type Tool = (&'static str, &'static str, &'static str);

/// (category, its tools)
const MAP: [(&str, &[Tool]); 6] = [
    (
        "Distributed processing",
        &[
            (
                "Apache Spark",
                "batch and streaming jobs split into stages of parallel tasks",
                "mapreduce",
            ),
            (
                "Hadoop MapReduce",
                "the original map → shuffle → reduce on a cluster",
                "mapreduce",
            ),
            (
                "Apache Flink",
                "stream processing with windows and watermarks",
                "batch-stream",
            ),
            (
                "Dask / Ray",
                "parallel Python on many cores or machines",
                "scaling",
            ),
        ],
    ),
    (
        "Storage",
        &[
            (
                "Amazon S3 / GCS / ADLS",
                "object storage: cheap, durable, slow to open many small files",
                "performance",
            ),
            (
                "Parquet / ORC",
                "columnar, compressed file formats",
                "performance",
            ),
            (
                "Delta Lake / Iceberg",
                "tables on object storage with partitions and compaction",
                "performance",
            ),
            (
                "Redis / Memcached",
                "in-memory caches in front of slower stores",
                "caching",
            ),
        ],
    ),
    (
        "Orchestration",
        &[
            (
                "Apache Airflow",
                "DAGs of tasks with dependencies, retries and backfills",
                "drills",
            ),
            (
                "Dagster / Prefect",
                "data-aware pipelines and schedules",
                "drills",
            ),
        ],
    ),
    (
        "Streaming and queues",
        &[
            (
                "Apache Kafka",
                "a partitioned log read by consumer groups",
                "queues",
            ),
            (
                "Amazon SQS / RabbitMQ",
                "queues with competing consumers and dead-letter queues",
                "queues",
            ),
            ("Kinesis / Pub/Sub", "managed streams", "batch-stream"),
        ],
    ),
    (
        "Integration and ETL",
        &[
            ("dbt", "SQL transformations with tests", "drills"),
            (
                "Great Expectations / Soda",
                "data quality checks (validation, quarantine)",
                "drills",
            ),
            (
                "Fivetran / Airbyte",
                "connectors that extract and load",
                "caching",
            ),
        ],
    ),
    (
        "Cloud and clusters",
        &[
            (
                "Kubernetes",
                "scheduling containers, horizontal autoscaling",
                "scaling",
            ),
            (
                "EMR / Dataproc / Databricks",
                "managed Spark clusters, billed per executor-hour",
                "performance",
            ),
            (
                "Prometheus + Grafana",
                "metrics, dashboards and alerts",
                "performance",
            ),
        ],
    ),
];

/// (lab slug, [(the lab's knob, its real name)])
const KNOBS: [(&str, &[(&str, &str)]); 8] = [
    (
        "mapreduce",
        &[
            (
                "reducers",
                "spark.sql.shuffle.partitions / mapreduce.job.reduces / numPartitions",
            ),
            (
                "combiner",
                "a Hadoop Combiner; reduceByKey's map-side combine",
            ),
            (
                "speculative backups",
                "spark.speculation / mapreduce.map.speculative",
            ),
            (
                "split size",
                "spark.sql.files.maxPartitionBytes / mapreduce.input.fileinputformat.split.maxsize",
            ),
        ],
    ),
    (
        "scaling",
        &[
            (
                "machines behind the balancer",
                "replicas of a Kubernetes Deployment",
            ),
            (
                "autoscaler target",
                "HorizontalPodAutoscaler targetCPUUtilizationPercentage",
            ),
            (
                "health checks",
                "readiness/liveness probes, load-balancer health checks",
            ),
        ],
    ),
    (
        "partitioning",
        &[
            (
                "partitioner",
                "Spark HashPartitioner / RangePartitioner, Kafka's murmur2 partitioner",
            ),
            (
                "salting a hot key",
                "salting, or Spark AQE skew-join handling (spark.sql.adaptive.skewJoin.enabled)",
            ),
        ],
    ),
    (
        "batch-stream",
        &[
            ("window", "Flink/Spark Structured Streaming window()"),
            ("allowed lateness", "withWatermark(...) / allowedLateness"),
        ],
    ),
    (
        "queues",
        &[
            ("consumer group", "Kafka group.id"),
            (
                "commit interval",
                "enable.auto.commit / auto.commit.interval.ms",
            ),
            ("ack timeout", "SQS VisibilityTimeout"),
            (
                "max deliveries → DLQ",
                "SQS redrive policy maxReceiveCount; RabbitMQ dead-letter exchange",
            ),
        ],
    ),
    (
        "caching",
        &[
            ("cache TTL", "Redis EXPIRE / SET … EX"),
            (
                "eviction policy",
                "Redis maxmemory-policy allkeys-lru / allkeys-lfu",
            ),
            (
                "staging between stages",
                "S3 staging prefixes, Spark persist(), a Kafka topic as buffer",
            ),
        ],
    ),
    (
        "performance",
        &[
            (
                "broadcast the small table",
                "spark.sql.autoBroadcastJoinThreshold, broadcast() hint",
            ),
            (
                "partition pruning",
                "PARTITIONED BY (date) and a WHERE on it",
            ),
            (
                "few large files",
                "OPTIMIZE / compaction, spark.sql.files.maxRecordsPerFile",
            ),
        ],
    ),
    (
        "drills",
        &[
            (
                "retries with back-off",
                "Airflow retries + retry_exponential_backoff, AWS SDK retry modes",
            ),
            (
                "circuit breaker",
                "resilience4j CircuitBreaker, Envoy outlier detection",
            ),
            (
                "quarantine",
                "a quarantine table fed by Great Expectations / dbt tests",
            ),
        ],
    ),
];

fn lab_title(slug: &str) -> &'static str {
    crate::catalog::lab(slug).map_or("", |l| l.title)
}

#[derive(Properties, PartialEq)]
pub struct ToolsLabProps {
    pub presenter: bool,
}

#[component]
pub fn ToolsLab(p: &ToolsLabProps) -> Html {
    let job = use_state(|| "wordcount".to_string());
    let reducers = use_state(|| 4u32);
    html! {
        <div class="lab-frame tools">
            <section class="panel" aria-label="Tools map" data-testid="tools-map">
                <h2>{ "The tools, by what they do" }</h2>
                <div class="tool-map">
                    { for MAP.iter().map(|(cat, tools)| html! {
                        <div class="tool-cat">
                            <h3>{ *cat }</h3>
                            <ul>
                                { for tools.iter().map(|(name, what, slug)| html! {
                                    <li><strong>{ *name }</strong>{ format!(": {what}. ") }
                                        if *slug == "tools" {
                                            <a href="#/tools">{ "See the DAG demo on this page" }</a>
                                        } else {
                                            <a href={format!("#/{slug}")}>{ format!("See it in “{}”", lab_title(slug)) }</a>
                                        }</li>
                                }) }
                            </ul>
                        </div>
                    }) }
                </div>
            </section>
            <super::dag::DagPanel presenter={p.presenter} />
            <SparkLogView />
            { export_panel(&job, &reducers) }
            <section class="panel" aria-label="Real names" data-testid="real-names">
                <h2>{ "What each lab's knobs are called in the real world" }</h2>
                <div class="tool-map">
                    { for KNOBS.iter().map(|(slug, rows)| html! {
                        <div class="tool-cat">
                            <h3><a href={format!("#/{slug}")}>{ lab_title(slug) }</a></h3>
                            <table class="results"><tbody>
                                { for rows.iter().map(|(k, v)| html! { <tr><td>{ *k }</td><td><code>{ *v }</code></td></tr> }) }
                            </tbody></table>
                        </div>
                    }) }
                </div>
            </section>
        </div>
    }
}

fn export_panel(job: &UseStateHandle<String>, reducers: &UseStateHandle<u32>) -> Html {
    let j = if **job == "indexer" {
        Job::Indexer
    } else {
        Job::WordCount
    };
    let text = script(&j, **reducers, "out").unwrap_or_default();
    let href = format!(
        "data:text/x-python;charset=utf-8,{}",
        js_sys::encode_uri_component(&text)
    );
    let on_job = {
        let job = job.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            job.set(s.value());
        })
    };
    let on_r = {
        let reducers = reducers.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            reducers.set(s.value().parse().unwrap_or(4));
        })
    };
    html! {
        <section class="panel" aria-label="Run it on Spark" data-testid="export">
            <h2>{ "Run the MapReduce job on Spark" }</h2>
            <div class="fault-row">
                <label class="field"><span>{ "Job" }</span>
                    <select data-testid="export-job" onchange={on_job}>
                        <option value="wordcount" selected={**job == "wordcount"}>{ "word count" }</option>
                        <option value="indexer" selected={**job == "indexer"}>{ "inverted index" }</option>
                    </select></label>
                <label class="field"><span>{ "Reduce partitions" }</span>
                    <select data-testid="export-reducers" onchange={on_r}>
                        { for [1u32, 2, 3, 4, 8, 16].iter().map(|r| html! { <option value={r.to_string()} selected={**reducers == *r}>{ r }</option> }) }
                    </select></label>
                <a class="btn" download="job.py" href={href} data-testid="download-job">{ "Download job.py" }</a>
            </div>
            <details><summary>{ "How to run it (README)" }</summary><pre class="readme">{ readme(&j, **reducers) }</pre></details>
            <details><summary>{ "The script" }</summary><pre class="code" data-testid="export-script">{ text }</pre></details>
        </section>
    }
}
