import { CompoundEntityRef } from '@backstage/catalog-model';
import { Alert, Box, Button, Flex, Text, TextField } from '@backstage/ui';
import { validateSimulationRequest } from '@internal-apps/plugin-cloud-run-iap-common';
import { FormEvent, useState } from 'react';
import { SelfCheckService } from '../../api';
import { AccessRequestForm } from '../AccessRequests/AccessRequestForm';
import { serviceLabel } from '../AccessRequests/serviceLabel';
import { formatTime } from '../shared/time';
import { useMyAccessCheck } from './useMyAccessCheck';
import { VERDICT_TEXT } from './verdictText';

/**
 * "Why can't I get in?": the signed-in user checks their own access to each of the app's
 * services, optionally from an IP address, and can request access where they cannot get in.
 * It needs no access-read permission: the answer only speaks about the caller.
 */
export function MyAccessCheck(props: {
  entityRef: CompoundEntityRef;
  /** Runs when the user has sent an access request. */
  onRequested?: () => void;
}) {
  const { entityRef, onRequested } = props;
  const { state, check } = useMyAccessCheck(entityRef);
  const [ip, setIp] = useState('');
  const [ipError, setIpError] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const context = ip.trim() ? { ip: ip.trim() } : {};
    const problem = validateSimulationRequest(context)[0];
    setIpError(
      problem ? 'Enter an IPv4 or IPv6 address, e.g. 203.0.113.7' : undefined,
    );
    if (!problem) check(context);
  };

  let result = undefined;
  if (state.status === 'done') result = state.result;
  else if (state.status === 'checking') result = state.last;

  return (
    <section aria-labelledby="cloud-run-iap-my-access">
      <Flex direction="column" gap="3">
        <Text as="h3" variant="title-x-small" id="cloud-run-iap-my-access">
          Why can't I get in?
        </Text>
        <Text as="p" variant="body-medium" color="secondary">
          Checks your own access to this app, through every grant, group and
          access level. Add the IP address you connect from to check the access
          levels too.
        </Text>
        <form onSubmit={submit} aria-label="Check my access" noValidate>
          <Flex gap="2" align="end">
            <TextField
              label="Your IP address (optional)"
              placeholder="203.0.113.7"
              value={ip}
              onChange={setIp}
              isInvalid={!!ipError}
            />
            <Button type="submit" isPending={state.status === 'checking'}>
              Check my access
            </Button>
          </Flex>
          {ipError && (
            <Text as="p" variant="body-small" color="danger" role="alert">
              {ipError}
            </Text>
          )}
        </form>
        {state.status === 'failed' && (
          <Alert
            role="alert"
            status="danger"
            icon
            title="Your access could not be checked"
            description={`${state.error.message}${
              state.error.statusCode ? ` (HTTP ${state.error.statusCode})` : ''
            }`}
          />
        )}
        {result && result.services.length === 0 && (
          <Text as="p" variant="body-medium">
            This app annotates no service the portal can check.
          </Text>
        )}
        {result && (
          <ul
            aria-label={`Access of ${result.member}`}
            style={{ listStyle: 'none', margin: 0, padding: 0 }}
          >
            {result.services.map(service => (
              <li key={service.service}>
                <ServiceVerdict
                  entityRef={entityRef}
                  verdict={service}
                  onRequested={onRequested}
                />
              </li>
            ))}
          </ul>
        )}
      </Flex>
    </section>
  );
}

function ServiceVerdict(props: {
  entityRef: CompoundEntityRef;
  verdict: SelfCheckService;
  onRequested?: () => void;
}) {
  const { entityRef, verdict, onRequested } = props;
  const [requesting, setRequesting] = useState(false);
  const text = VERDICT_TEXT[verdict.verdict];
  const through = verdict.through;
  return (
    <Box mb="3">
      <Alert
        status={text.status}
        icon
        title={`${serviceLabel(verdict.service)}: ${text.title}`}
        description={
          <Flex direction="column" gap="1">
            {through && (
              <Text as="p" variant="body-medium">
                Through {through.grant} on {through.resource} ({through.level})
                {through.viaGroup ? `, as a member of ${through.viaGroup}` : ''}
                {through.expiresAt
                  ? `. Expires ${formatTime(through.expiresAt)}`
                  : ''}
                .
              </Text>
            )}
            {verdict.missing.length > 0 && (
              <ul
                aria-label={`What is missing for ${serviceLabel(
                  verdict.service,
                )}`}
              >
                {verdict.missing.map(missing => (
                  <li key={`${missing.reason}:${missing.message}`}>
                    <Text variant="body-medium">{missing.message}</Text>
                  </li>
                ))}
              </ul>
            )}
          </Flex>
        }
        customActions={
          verdict.canRequest && !requesting ? (
            <Button size="small" onPress={() => setRequesting(true)}>
              Request access
            </Button>
          ) : undefined
        }
      />
      {requesting && (
        <Box mt="2">
          <AccessRequestForm
            entityRef={entityRef}
            service={verdict.service}
            onSent={onRequested}
            onCancel={() => setRequesting(false)}
          />
        </Box>
      )}
    </Box>
  );
}
