//! The nine labs: titles, routes and the one-paragraph summaries on the home page and at the top
//! of each lab. Text is ScaleLab's own wording of the course notes.

/// One lab of the curriculum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabInfo {
    pub number: u8,
    /// The route: `#/<slug>`.
    pub slug: &'static str,
    pub title: &'static str,
    /// One line for the home page card.
    pub tagline: &'static str,
    pub summary: &'static str,
}

pub const LABS: [LabInfo; 9] = [
    LabInfo {
        number: 1,
        slug: "scaling",
        title: "Vertical vs horizontal scaling",
        tagline: "One bigger machine, or more machines?",
        summary:
            "When a service gets busier you can buy a bigger machine (more cores, more memory) \
            or add more machines and spread the requests across them. The bigger machine is the \
            easy fix until the catalogue runs out, the price per core climbs, and one crash takes \
            everything down. More machines keep serving when one fails, but need a load balancer \
            and pay a coordination cost that bends the speed-up curve. Here you size both and \
            watch latency, cost and availability as the load grows.",
    },
    LabInfo {
        number: 2,
        slug: "batch-stream",
        title: "Batch vs streaming",
        tagline: "Process the pile later, or each event now?",
        summary: "The same stream of events can be collected and processed in scheduled batches, \
            or handled one event at a time as it arrives. Batches are cheap and simple but their \
            results are only as fresh as the last run; a streaming pipeline answers in seconds \
            and costs more to keep running. A fraud alert cannot wait for tonight's job, an \
            end-of-day report can. You will watch freshness, cost and windows of time side by \
            side for both pipelines.",
    },
    LabInfo {
        number: 3,
        slug: "partitioning",
        title: "Partitioning and parallelism",
        tagline: "Split the data so many workers can share it.",
        summary: "A data set too big for one worker is cut into partitions (by a hash of the key, \
            by key ranges, or in turn) so that several workers can each take a piece at the same \
            time, and the partial results are combined at the end. Twice the workers can mean \
            half the time, until one oversized partition, caused by a popular key, keeps \
            everyone waiting. You choose the split and the number of workers and measure the \
            speed-up.",
    },
    LabInfo {
        number: 4,
        slug: "mapreduce",
        title: "MapReduce",
        tagline: "Count every word of eight books on a cluster that crashes.",
        summary: "MapReduce splits the input, lets many workers run a map function that emits key \
            and value pairs, groups all pairs with the same key in a shuffle and sort, and lets \
            reducers combine each group. A coordinator hands out the tasks and, when a worker \
            dies, runs its work again elsewhere so the answer is still exactly right. Here a real \
            job counts the words of real books while you add workers, reducers, a combiner, slow \
            machines and crashes.",
    },
    LabInfo {
        number: 5,
        slug: "queues",
        title: "Decoupling with message queues",
        tagline: "Let producers and consumers each keep their own pace.",
        summary: "A message queue sits between the part of a system that produces work and the \
            part that consumes it, so neither has to wait for the other. When consumers slow \
            down or stop, messages pile up safely and drain later; acknowledgements and \
            redelivery make sure nothing is lost, at the price of the odd duplicate, and \
            messages that keep failing are set aside in a dead-letter queue. You will run a real \
            broker through crashes, spikes and poison messages.",
    },
    LabInfo {
        number: 6,
        slug: "caching",
        title: "Caching and intermediate storage",
        tagline: "Keep hot data close and save work between stages.",
        summary: "A cache keeps copies of popular data in fast memory so that most reads never \
            reach the slow store behind it, until the copies go stale or get evicted. Staging \
            areas between the steps of a pipeline play a similar role for work in progress: if a \
            later step fails, the data waits where it is and the run resumes from a checkpoint \
            instead of starting over. You will tune a cache and break a warehouse load on purpose.",
    },
    LabInfo {
        number: 7,
        slug: "performance",
        title: "Performance at scale",
        tagline: "Measure six numbers, then make the slow stage fast.",
        summary: "You cannot speed up what you do not measure: throughput, latency, resource use, \
            error rate, backlog and job duration tell you where a pipeline spends its time. \
            With those on a dashboard, you switch on the classic optimisations one by one \
            (filter early, avoid a shuffle, process only new data, cache a reused result, read \
            only the needed columns, compress, fix file sizes) and see each one's effect on the \
            same job.",
    },
    LabInfo {
        number: 8,
        slug: "drills",
        title: "Reliability drills",
        tagline: "Break the pipeline on purpose and prove nothing was lost.",
        summary: "Reliable pipelines are rehearsed like emergency drills: crash a worker, slow a \
            disk, cut the network, flood the input, feed it corrupt records, and check that \
            retries, buffers, validation and quarantine did their job. Every drill ends with a \
            reconciliation that adds up every record that went in against every record that came \
            out, was quarantined or was dead-lettered, and a stress ramp finds the load at which \
            the service stops meeting its target.",
    },
    LabInfo {
        number: 9,
        slug: "tools",
        title: "The real tools",
        tagline: "From the simulator to Spark, Kafka and friends.",
        summary: "Everything in these labs has a real counterpart: Hadoop and Spark run \
            MapReduce-style jobs, Kafka, RabbitMQ and SQS are brokers, Redis is a cache, S3 and \
            warehouses store the results, and Airflow or dbt schedule the steps. This lab maps \
            each knob you turned to its real name, reads event logs that real Spark jobs wrote, \
            and exports your MapReduce job as a PySpark script you can run yourself.",
    },
];

/// The lab for a route slug.
/// The sandbox: the engine's reference model (one server, a Poisson load, a bounded queue) in
/// the shared frame. Not one of the nine labs; reached at `#/sandbox` and from the tools page.
pub const SANDBOX: LabInfo = LabInfo {
    number: 0,
    slug: "sandbox",
    title: "Sandbox: one server and a queue",
    tagline: "The simplest system that can queue, overload and fail.",
    summary: "One server takes requests that arrive at random and waits them in a bounded queue. \
        It is the smallest model that shows every number on the shared dashboard, so it is the \
        place to try the playback, faults and share links before the labs, and the reference \
        the command line's `scalelab demo` reproduces hash for hash.",
};

pub fn lab(slug: &str) -> Option<&'static LabInfo> {
    if slug == SANDBOX.slug {
        return Some(&SANDBOX);
    }
    LABS.iter().find(|l| l.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_distinct_routes() {
        let mut slugs: Vec<_> = LABS.iter().map(|l| l.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 9);
        assert!(LABS
            .iter()
            .enumerate()
            .all(|(i, l)| l.number as usize == i + 1));
        assert_eq!(lab("mapreduce").unwrap().number, 4);
        assert!(lab("nope").is_none());
    }
}
