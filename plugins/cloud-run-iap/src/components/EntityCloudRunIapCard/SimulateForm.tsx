import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  SimulationDecision,
  SimulationRequest,
  SimulationResult,
  validateSimulationRequest,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { Alert, Box, Button, Flex, Text, TextField } from '@backstage/ui';
import {
  RiCheckboxCircleLine,
  RiForbidLine,
  RiQuestionLine,
} from '@remixicon/react';
import { FormEvent, useState } from 'react';
import { classifyCloudRunIapError, cloudRunIapApiRef } from '../../api';
import { IconText, KindLabel } from '../shared/chips';
import { LabelledTable } from '../shared/LabelledTable';
import { serviceRegion, shortServiceName } from '../shared/resourceNames';

type Fields = { ip: string; region: string; member: string };
type FieldErrors = Partial<Record<keyof Fields, string>>;

const HINTS: Record<keyof Fields, string> = {
  ip: 'Enter an IPv4 or IPv6 address, e.g. 203.0.113.7',
  region: 'Enter a two-letter country code, e.g. GB',
  member: 'Enter user:EMAIL or serviceAccount:EMAIL',
};

/** Checks the form as the backend would; returns the request or the problems per field. */
export function validateContext(fields: Fields): {
  request?: SimulationRequest;
  errors: FieldErrors;
} {
  const ip = fields.ip.trim();
  const region = fields.region.trim().toUpperCase();
  const member = fields.member.trim();
  const request: SimulationRequest = {
    ...(ip ? { ip } : {}),
    ...(region ? { region } : {}),
    ...(member ? { member } : {}),
  };
  const errors: FieldErrors = {};
  // The same rules the backend applies; the messages here say what to type.
  for (const problem of validateSimulationRequest(request)) {
    const field = problem.slice(0, problem.indexOf(':')) as keyof Fields;
    errors[field] = HINTS[field];
  }
  if (!ip && !region && !member) {
    errors.ip = 'Enter an IP address, a region or a member to check';
  }
  return Object.keys(errors).length > 0 ? { errors } : { errors, request };
}

export function DecisionLabel({ decision }: { decision: SimulationDecision }) {
  switch (decision) {
    case 'allow':
      return (
        <IconText icon={<RiCheckboxCircleLine size={16} />} tone="good">
          Allow
        </IconText>
      );
    case 'deny':
      return (
        <IconText icon={<RiForbidLine size={16} />} tone="bad">
          Deny
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

const DECISION_COLUMNS = [
  { id: 'member', label: 'Accessor', isRowHeader: true },
  { id: 'kind', label: 'Kind' },
  { id: 'decision', label: 'Decision' },
  { id: 'reasons', label: 'Why' },
];

type DecisionRow = SimulationResult['services'][number]['accessors'][number];

function decisionCell(a: DecisionRow, column: string) {
  switch (column) {
    case 'member':
      return <span style={{ wordBreak: 'break-all' }}>{a.member}</span>;
    case 'kind':
      return <KindLabel kind={a.kind} />;
    case 'decision':
      return <DecisionLabel decision={a.decision} />;
    default:
      return a.reasons.join(' ');
  }
}

function Results({ result }: { result: SimulationResult }) {
  return (
    <Box mt="3" aria-live="polite">
      {result.services.map(s => (
        <Box key={s.resourceName} mb="3">
          <Text as="h5" variant="body-medium" weight="bold">
            {shortServiceName(s.resourceName)} ({serviceRegion(s.resourceName)})
            {!s.iapEnabled && ' — IAP is off, so IAP checks nothing'}
          </Text>
          {s.notes.map(n => (
            <Text key={n} as="p" variant="body-medium" color="secondary">
              {n}
            </Text>
          ))}
          {s.accessors.length === 0 ? (
            <Text as="p" variant="body-medium">
              No accessor matches this context.
            </Text>
          ) : (
            <LabelledTable
              label={`Decisions for ${shortServiceName(s.resourceName)}`}
              columns={DECISION_COLUMNS}
              items={s.accessors.map(a => ({ ...a, id: a.member }))}
              cell={decisionCell}
            />
          )}
        </Box>
      ))}
    </Box>
  );
}

/** "Check a context": IP, region and optional member in; allow / deny / unknown per accessor out. */
export function SimulateForm({ entityRef }: { entityRef: CompoundEntityRef }) {
  const api = useApi(cloudRunIapApiRef);
  const [fields, setFields] = useState<Fields>({
    ip: '',
    region: '',
    member: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [result, setResult] = useState<SimulationResult>();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateContext(fields);
    setErrors(checked.errors);
    if (!checked.request) {
      return;
    }
    setPending(true);
    setFailure(undefined);
    try {
      setResult(await api.simulateAccess(entityRef, checked.request));
    } catch (e) {
      setResult(undefined);
      const info = classifyCloudRunIapError(e);
      setFailure(
        info.kind === 'permission-denied'
          ? 'You may not check access for this app.'
          : info.message,
      );
    } finally {
      setPending(false);
    }
  };

  const field = (name: keyof Fields, label: string, helper: string) => (
    <TextField
      id={`cloud-run-iap-simulate-${name}`}
      label={label}
      value={fields[name]}
      isInvalid={Boolean(errors[name])}
      description={errors[name] ?? helper}
      onChange={value => setFields(f => ({ ...f, [name]: value }))}
    />
  );

  return (
    <section aria-labelledby="cloud-run-iap-simulate-title">
      <Text
        id="cloud-run-iap-simulate-title"
        as="h3"
        variant="title-small"
        weight="bold"
      >
        Check a context
      </Text>
      <Text as="p" variant="body-medium" color="secondary">
        Would IAP let a request from this IP address and country through?
        Evaluated against the access levels of every grant; device rules cannot
        be decided and show as unknown.
      </Text>
      <form onSubmit={onSubmit} noValidate aria-label="Check a context">
        <Flex gap="4" align="start" mt="2" style={{ flexWrap: 'wrap' }}>
          {field('ip', 'IP address', 'IPv4 or IPv6, e.g. 203.0.113.7')}
          {field('region', 'Region', 'Country code, e.g. GB')}
          {field(
            'member',
            'Member (optional)',
            'user:EMAIL or serviceAccount:EMAIL',
          )}
          <Box mt="5">
            <Button type="submit" variant="primary" isPending={pending}>
              Check
            </Button>
          </Box>
        </Flex>
      </form>
      {failure && (
        <Box mt="3">
          <Alert role="alert" status="danger" icon title={failure} />
        </Box>
      )}
      {result && <Results result={result} />}
    </section>
  );
}
