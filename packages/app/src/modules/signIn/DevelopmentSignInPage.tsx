import { ProxiedSignInPage } from '@backstage/core-components';
import { coreApis, IdentityApi, useApi } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { Button, Card, CardBody, Container, Flex, Text } from '@backstage/ui';
import { useMemo, useState } from 'react';
import {
  EXAMPLE_USER_HEADER,
  EXAMPLE_USERS_PROVIDER,
  loadChoice,
  readExampleUsers,
  saveChoice,
  SignInChoice,
} from './exampleUsers';

/**
 * The portal's sign-in: the guest (team lead of the example team) and, where the development
 * sign-in is configured (`auth.providers.example-users`, app-config.local-fake.yaml), each
 * example user. Both are proxy providers of the backend; the choice is kept for reloads and
 * forgotten on sign-out.
 */
export function DevelopmentSignInPage(props: SignInPageProps) {
  const config = useApi(coreApis.config);
  const users = useMemo(() => readExampleUsers(config), [config]);
  const [choice, setChoice] = useState(() => loadChoice(users));

  const choose = (next: SignInChoice) => {
    saveChoice(next);
    setChoice(next);
  };

  if (choice) {
    const onSignInSuccess = (identity: IdentityApi) =>
      props.onSignInSuccess({
        getProfileInfo: () => identity.getProfileInfo(),
        getBackstageIdentity: () => identity.getBackstageIdentity(),
        getCredentials: () => identity.getCredentials(),
        signOut: async () => {
          saveChoice(undefined);
          await identity.signOut();
        },
      });
    return (
      <ProxiedSignInPage
        onSignInSuccess={onSignInSuccess}
        provider={choice.provider}
        headers={
          choice.provider === EXAMPLE_USERS_PROVIDER
            ? { [EXAMPLE_USER_HEADER]: choice.entityRef }
            : undefined
        }
        ErrorComponent={({ error }) => (
          <Container>
            <Flex direction="column" gap="3" p="6">
              <Text as="h1" variant="title-medium">
                Sign-in failed
              </Text>
              <Text as="p" role="alert">
                {error?.message ?? 'The backend refused the sign-in.'}
              </Text>
              <Flex>
                <Button
                  onPress={() => {
                    saveChoice(undefined);
                    setChoice(undefined);
                  }}
                >
                  Choose another user
                </Button>
              </Flex>
            </Flex>
          </Container>
        )}
      />
    );
  }

  return (
    <Container>
      <Flex direction="column" gap="4" p="6">
        <Text as="h1" variant="title-large">
          Sign in to the portal
        </Text>
        <Flex gap="4" style={{ flexWrap: 'wrap' }}>
          <SignInCard
            title="Guest"
            description="Team lead of the Internal Apps Team, which owns the example apps."
            label="Enter"
            ariaLabel="Enter"
            onPress={() => choose({ provider: 'guest' })}
          />
          {users.map(user => (
            <SignInCard
              key={user.entityRef}
              title={user.title}
              description={`${user.description ?? ''}${
                user.description ? ' · ' : ''
              }${user.entityRef}`}
              label="Sign in"
              ariaLabel={`Sign in as ${user.title}`}
              onPress={() =>
                choose({
                  provider: EXAMPLE_USERS_PROVIDER,
                  entityRef: user.entityRef,
                })
              }
            />
          ))}
        </Flex>
        {users.length > 0 && (
          <Text as="p" variant="body-small" color="secondary">
            The example users are a development sign-in without passwords
            (auth.providers.example-users). Production has none.
          </Text>
        )}
      </Flex>
    </Container>
  );
}

function SignInCard(props: {
  title: string;
  description: string;
  label: string;
  ariaLabel: string;
  onPress: () => void;
}) {
  return (
    <Card style={{ width: 300 }}>
      <CardBody>
        <Flex direction="column" gap="2">
          <Text as="h2" variant="title-small">
            {props.title}
          </Text>
          <Text as="p" variant="body-medium" color="secondary">
            {props.description}
          </Text>
          <Flex>
            <Button aria-label={props.ariaLabel} onPress={props.onPress}>
              {props.label}
            </Button>
          </Flex>
        </Flex>
      </CardBody>
    </Card>
  );
}
