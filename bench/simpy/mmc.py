"""The same M/M/c workload as `scalelab mmc`, written the way a teacher would in SimPy:
Poisson arrivals, exponential service, a Resource with c servers. Prints wall time and the mean
waits so the two tools can be compared on equal terms."""

import argparse
import random
import time

import simpy


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--arrival-rate", type=float, required=True)
    ap.add_argument("--service-rate", type=float, required=True)
    ap.add_argument("--servers", type=int, required=True)
    ap.add_argument("--customers", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=a.servers)
    waits = []
    sojourns = []

    def customer(env):
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(a.service_rate))
        sojourns.append(env.now - arrived)

    def source(env):
        for _ in range(a.customers):
            yield env.timeout(rng.expovariate(a.arrival_rate))
            env.process(customer(env))

    started = time.perf_counter()
    env.process(source(env))
    env.run()
    wall = time.perf_counter() - started
    print(f"simpy_wall_s={wall:.4f} customers={len(sojourns)} "
          f"wq_mean={sum(waits) / len(waits):.5f} w_mean={sum(sojourns) / len(sojourns):.5f}")


if __name__ == "__main__":
    main()
