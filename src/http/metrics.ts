// Prometheus metrics (prom-client), one registry per application: requests and their latency by
// route and status, verdicts by outcome and track, the time evaluate() takes, the ruleset in service,
// and the process's own (event-loop lag, memory, GC, CPU). Served as text by GET /metrics. The
// verdict counters are fed by the verdict routes after evaluation: evaluate() stays pure.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Verdict } from '../contract/verdict.js';
import type { RulesetHolder } from '../ruleset-holder.js';

export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'recourse_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'recourse_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly verdicts = new Counter({
    name: 'recourse_verdicts_total',
    help: 'Verdicts given (alone or in a batch), by decision outcome and track ("none" when the outcome rests on no track).',
    labelNames: ['outcome', 'track'] as const,
    registers: [this.registry],
  });

  readonly evaluation = new Histogram({
    name: 'recourse_verdict_evaluation_seconds',
    help: 'Time evaluate() took for one verdict (CPU-bound: the rules, dates and texts).',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly oracleChecks = new Counter({
    name: 'recourse_oracle_checks_total',
    help: 'Verdicts re-evaluated through json-rules-engine (ORACLE_SAMPLE), by result: "agree", or "diverge" when a rule was judged differently or the verdicts differ.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(rulesets: RulesetHolder) {
    const registry = this.registry;
    new Gauge({
      name: 'recourse_ruleset_info',
      help: 'The ruleset in service: always 1, its version and digest as labels (changes on a reload).',
      labelNames: ['version', 'digest'] as const,
      registers: [registry],
      collect() {
        this.reset();
        this.set({ version: rulesets.current.version, digest: rulesets.current.digest }, 1);
      },
    });
    // process_* (CPU, resident memory, open files), nodejs_eventloop_lag_* , nodejs_heap_*, nodejs_gc_*.
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  }

  /** A verdict was given: count it by outcome and track, and record how long evaluate() took. */
  verdict(verdict: Verdict, seconds: number): void {
    this.verdicts.inc({ outcome: verdict.decision.outcome, track: verdict.decision.track ?? 'none' });
    this.evaluation.observe(seconds);
  }

  /** Counts and times every answer, labelled by route pattern (never the URL: bounded cardinality). */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', (req, reply, done) => {
      const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
      this.requests.inc(labels);
      this.requestDuration.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  }
}
