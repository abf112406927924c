import { AccessDrift, Finding } from '../../report/types';
import { commands, listOf } from './types';

const shortLevel = (name: string) => name.slice(name.lastIndexOf('/') + 1);

const levelList = (levels: readonly string[]) =>
  levels.length > 0 ? levels.map(shortLevel).join(', ') : 'none';

const KIND_LABEL = {
  managed: "the portal's managed binding",
  'hand-made': 'hand-made on the service',
  inherited: 'inherited',
} as const;

/** ACCESS_DRIFT: what the service grants differs from what the entity declares in the catalog. */
export function accessDriftFinding(drift: AccessDrift): Finding | undefined {
  const { grantedNotDeclared, declaredNotGranted, accessLevels } = drift;
  if (
    grantedNotDeclared.length === 0 &&
    declaredNotGranted.length === 0 &&
    !accessLevels
  ) {
    return undefined;
  }
  const parts: string[] = [];
  if (grantedNotDeclared.length > 0) {
    parts.push(
      `Granted but not declared: ${listOf(
        grantedNotDeclared.map(
          entry =>
            `${entry.member} (${[
              ...new Set(entry.grants.map(g => KIND_LABEL[g.kind])),
            ].join(', ')})`,
        ),
      )}.`,
    );
  }
  if (declaredNotGranted.length > 0) {
    parts.push(`Declared but not granted: ${listOf(declaredNotGranted)}.`);
  }
  if (accessLevels) {
    parts.push(
      `Access levels declared: ${levelList(
        accessLevels.declared,
      )}; required by the managed binding: ${levelList(accessLevels.granted)}.`,
    );
  }
  const unmanaged = grantedNotDeclared.flatMap(entry =>
    entry.grants
      .filter(grant => grant.kind !== 'managed')
      .map(grant => ({ member: entry.member, grant })),
  );
  const exceeds = grantedNotDeclared.length > 0 || accessLevels !== undefined;
  return {
    id: 'ACCESS_DRIFT',
    severity: exceeds ? 'medium' : 'low',
    title: 'Access differs from what the catalog declares',
    what: parts.join(' '),
    why: exceeds
      ? "The entity's catalog-info.yaml (google.com/iap-accessors, google.com/iap-access-levels) is the reviewed record of who should get in. Access beyond it, or weaker access levels than it asks for, escaped that review."
      : "The entity's catalog-info.yaml declares access that was never applied: the declared members cannot get in yet.",
    fix: {
      text: `An owner applies the declared state with "Apply declared access" on the Access tab: it previews, then changes the portal's managed binding (adds the declared members, removes the undeclared ones it grants, sets the declared levels). Or change the declaration in catalog-info.yaml to match.${
        unmanaged.length > 0
          ? ` Grants the portal does not manage are never changed from here: ${unmanaged
              .map(
                ({ member, grant }) =>
                  `${member}, ${grant.grant}: ${grant.howToChange}`,
              )
              .join('; ')}`
          : ''
      }`,
      ...(unmanaged.length > 0
        ? {
            command: commands(
              unmanaged.flatMap(({ grant }) =>
                grant.command ? [grant.command] : [],
              ),
            ),
          }
        : {}),
    },
    subjects: [
      ...grantedNotDeclared.map(entry => entry.member),
      ...declaredNotGranted,
      ...(accessLevels
        ? [...new Set([...accessLevels.declared, ...accessLevels.granted])]
        : []),
    ],
  };
}

/** DECLARED_ACCESS_REJECTED: the catalog declares members or levels the portal will never apply. */
export function declaredAccessRejectedFinding(
  drift: AccessDrift,
): Finding | undefined {
  if (drift.rejected.length === 0) return undefined;
  const opensUp = drift.rejected.some(
    problem => problem.kind === 'public' || problem.kind === 'external',
  );
  return {
    id: 'DECLARED_ACCESS_REJECTED',
    severity: opensUp ? 'medium' : 'low',
    title: 'The catalog declares access the portal will not apply',
    what: `${drift.rejected
      .map(problem => `${problem.field} ${problem.value}: ${problem.problem}`)
      .join('; ')}.`,
    why: opensUp
      ? 'A public or outside member in the declaration would open the app beyond the organisation. The portal grants only what the scaffolder actions would grant, so these entries are never applied; the declaration does not say what is really intended.'
      : 'These entries cannot be applied as written, so the declared state leaves them out (a rejected access level keeps the levels as they are).',
    fix: {
      text: `Change the annotations in the entity's catalog-info.yaml: remove or correct ${listOf(
        drift.rejected.map(problem => problem.field),
      )}.`,
    },
    subjects: drift.rejected.map(problem => problem.value),
  };
}
