import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  MetricAttributes,
  MetricsService,
  MetricsServiceObservable,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';

/** One value a plugin added to a counter or recorded in a histogram or gauge. */
export interface RecordedMeasurement {
  metric: string;
  value: number;
  attributes: MetricAttributes;
}

/**
 * A metrics service that keeps every measurement in memory, for tests to read (a plain object
 * rather than `metricsServiceMock`, whose jest functions do not exist in the bench).
 */
export class RecordingMetrics {
  readonly measurements: RecordedMeasurement[] = [];

  /** The sum of a counter's values whose attributes include `attributes`. */
  sum(metric: string, attributes: MetricAttributes = {}): number {
    return this.matching(metric, attributes).reduce((n, m) => n + m.value, 0);
  }

  /** The measurements of a metric whose attributes include `attributes`. */
  matching(
    metric: string,
    attributes: MetricAttributes = {},
  ): RecordedMeasurement[] {
    return this.measurements.filter(
      m =>
        m.metric === metric &&
        Object.entries(attributes).every(([k, v]) => m.attributes[k] === v),
    );
  }

  get service(): MetricsService {
    const record =
      (metric: string) =>
      (value: number, attributes: MetricAttributes = {}) => {
        this.measurements.push({ metric, value, attributes });
      };
    const observable = (): MetricsServiceObservable => ({
      addCallback() {},
      removeCallback() {},
    });
    return {
      createCounter: name => ({ add: record(name) }),
      createUpDownCounter: name => ({ add: record(name) }),
      createHistogram: name => ({ record: record(name) }),
      createGauge: name => ({ record: record(name) }),
      createObservableCounter: observable,
      createObservableUpDownCounter: observable,
      createObservableGauge: observable,
    };
  }

  /** The factory that gives every plugin of a test backend this recorder. */
  factory() {
    const service = this.service;
    return createServiceFactory({
      service: metricsServiceRef,
      deps: {},
      factory: () => service,
    });
  }
}
