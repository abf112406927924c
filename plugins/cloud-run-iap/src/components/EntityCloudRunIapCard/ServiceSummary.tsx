import { ServiceAccessReport } from '@internal-apps/plugin-cloud-run-iap-common';
import { Link } from '@backstage/ui';
import {
  RiCheckboxCircleLine,
  RiErrorWarningLine,
  RiLoopLeftLine,
  RiQuestionLine,
} from '@remixicon/react';
import { ReactNode } from 'react';
import { IapStateLabel, IconText } from '../shared/chips';
import { formatTime } from '../shared/time';
import { FactList } from './FactList';

const INGRESS_TEXT: Record<string, string> = {
  INGRESS_TRAFFIC_ALL: 'All traffic',
  INGRESS_TRAFFIC_INTERNAL_ONLY: 'Internal only',
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 'Internal and Cloud Load Balancing',
  all: 'All traffic',
  internal: 'Internal only',
  'internal-and-cloud-load-balancing': 'Internal and Cloud Load Balancing',
};

function Readiness({ service }: { service: ServiceAccessReport }) {
  switch (service.ready) {
    case 'ready':
      return (
        <IconText icon={<RiCheckboxCircleLine size={16} />} tone="good">
          Ready
        </IconText>
      );
    case 'reconciling':
      return (
        <IconText icon={<RiLoopLeftLine size={16} />} tone="warn">
          Deploying
        </IconText>
      );
    case 'failed':
      return (
        <IconText icon={<RiErrorWarningLine size={16} />} tone="bad">
          Failed
          {service.readinessMessage ? `: ${service.readinessMessage}` : ''}
        </IconText>
      );
    default:
      return (
        <IconText icon={<RiQuestionLine size={16} />} tone="muted">
          Unknown
        </IconText>
      );
  }
}

/** Only an https URL becomes a link: the text comes from Google, not from this portal. */
function serviceUrl(uri: string | undefined): ReactNode {
  if (!uri) return 'none (default URL disabled)';
  if (!/^https:\/\//i.test(uri)) return <code>{uri}</code>;
  return (
    <Link href={uri} target="_blank" rel="noopener noreferrer">
      {uri}
    </Link>
  );
}

/** The facts of one service: IAP state, URL, region, ingress, readiness, revision. */
export function ServiceSummary({ service }: { service: ServiceAccessReport }) {
  const facts: Array<[string, ReactNode]> = [
    ['IAP', <IapStateLabel enabled={service.iapEnabled} />],
    ['URL', serviceUrl(service.uri)],
    ['Project', service.projectId],
    ['Region', service.region],
    [
      'Ingress',
      service.ingress
        ? INGRESS_TEXT[service.ingress] ?? service.ingress
        : 'unknown',
    ],
    ['Readiness', <Readiness service={service} />],
  ];
  if (service.latestRevision) {
    facts.push(['Revision', service.latestRevision]);
  }
  if (service.updateTime) {
    facts.push(['Updated', formatTime(service.updateTime)]);
  }
  if (service.runtimeServiceAccount) {
    facts.push(['Runs as', service.runtimeServiceAccount]);
  }
  if (service.invokerIamDisabled) {
    facts.push([
      'Invoker check',
      'disabled: anyone who reaches the URL can call it',
    ]);
  }
  facts.push([
    'VPC-SC perimeter',
    {
      true: 'inside a perimeter restricting Cloud Run',
      false: 'not in a perimeter restricting Cloud Run',
      unknown: 'unknown',
    }[String(service.perimeter.inPerimeter) as 'true' | 'false' | 'unknown'],
  ]);
  return <FactList facts={facts} label="Service" breakValues="all" />;
}
