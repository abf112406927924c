import {
  AccessorKind,
  GrantLevel,
  Severity,
  SEVERITIES,
} from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import AccountBoxIcon from '@material-ui/icons/AccountBox';
import BusinessIcon from '@material-ui/icons/Business';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import GroupIcon from '@material-ui/icons/Group';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import InfoIcon from '@material-ui/icons/Info';
import LockIcon from '@material-ui/icons/Lock';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import PersonIcon from '@material-ui/icons/Person';
import PublicIcon from '@material-ui/icons/Public';
import ReportIcon from '@material-ui/icons/Report';
import SettingsIcon from '@material-ui/icons/SettingsApplications';
import WarningIcon from '@material-ui/icons/Warning';
import { ReactElement } from 'react';

const useStyles = makeStyles(theme => ({
  inline: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  icon: { fontSize: '1.1em' },
  good: { color: theme.palette.success.main },
  bad: { color: theme.palette.error.main },
  warn: { color: theme.palette.warning.main },
  muted: { color: theme.palette.text.secondary },
  critical: {
    backgroundColor: theme.palette.error.dark,
    color: theme.palette.error.contrastText,
  },
  high: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  medium: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  low: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  info: {},
  chipIcon: { color: 'inherit' },
}));

/** An icon next to its text: colour is never the only signal. */
export function IconText(props: {
  icon: ReactElement;
  children: React.ReactNode;
  tone?: 'good' | 'bad' | 'warn' | 'muted';
}) {
  const classes = useStyles();
  return (
    <span className={classes.inline}>
      <span
        className={props.tone ? classes[props.tone] : undefined}
        aria-hidden
        style={{ display: 'inline-flex' }}
      >
        {props.icon}
      </span>
      <span>{props.children}</span>
    </span>
  );
}

const KIND_TEXT: Record<AccessorKind, string> = {
  user: 'User',
  group: 'Group',
  serviceAccount: 'Service account',
  domain: 'Domain',
  public: 'Public',
  workforcePrincipal: 'Workforce identity',
  unknown: 'Other',
};

export function kindText(kind: AccessorKind): string {
  return KIND_TEXT[kind];
}

export function KindLabel({ kind }: { kind: AccessorKind }) {
  const classes = useStyles();
  const icons: Record<AccessorKind, ReactElement> = {
    user: <PersonIcon className={classes.icon} />,
    group: <GroupIcon className={classes.icon} />,
    serviceAccount: <SettingsIcon className={classes.icon} />,
    domain: <BusinessIcon className={classes.icon} />,
    public: <PublicIcon className={classes.icon} />,
    workforcePrincipal: <AccountBoxIcon className={classes.icon} />,
    unknown: <HelpOutlineIcon className={classes.icon} />,
  };
  return (
    <IconText icon={icons[kind]} tone={kind === 'public' ? 'bad' : undefined}>
      {KIND_TEXT[kind]}
    </IconText>
  );
}

export function organizationText(value: boolean | 'unknown'): string {
  if (value === 'unknown') {
    return 'Unknown';
  }
  return value ? 'Inside' : 'Outside';
}

export function OrganizationLabel({ value }: { value: boolean | 'unknown' }) {
  const classes = useStyles();
  if (value === 'unknown') {
    return (
      <IconText
        icon={<HelpOutlineIcon className={classes.icon} />}
        tone="muted"
      >
        Unknown
      </IconText>
    );
  }
  return value ? (
    <IconText icon={<CheckCircleIcon className={classes.icon} />} tone="good">
      Inside
    </IconText>
  ) : (
    <IconText icon={<WarningIcon className={classes.icon} />} tone="bad">
      Outside
    </IconText>
  );
}

const SEVERITY_TEXT: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

export function severityText(severity: Severity): string {
  return SEVERITY_TEXT[severity];
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function SeverityChip({ severity }: { severity: Severity }) {
  const classes = useStyles();
  const icons: Record<Severity, ReactElement> = {
    critical: <ReportIcon />,
    high: <ErrorIcon />,
    medium: <WarningIcon />,
    low: <InfoIcon />,
    info: <InfoIcon />,
  };
  return (
    <Chip
      size="small"
      icon={<span className={classes.chipIcon}>{icons[severity]}</span>}
      label={SEVERITY_TEXT[severity]}
      className={classes[severity]}
      variant={severity === 'info' ? 'outlined' : 'default'}
    />
  );
}

export function IapStateLabel({ enabled }: { enabled: boolean }) {
  const classes = useStyles();
  return enabled ? (
    <IconText icon={<LockIcon className={classes.icon} />} tone="good">
      IAP on
    </IconText>
  ) : (
    <IconText icon={<LockOpenIcon className={classes.icon} />} tone="bad">
      IAP off
    </IconText>
  );
}

export function UnrestrictedLabel() {
  const classes = useStyles();
  return (
    <IconText icon={<LockOpenIcon className={classes.icon} />} tone="warn">
      Unrestricted
    </IconText>
  );
}

const GRANT_LEVEL_TEXT: Record<GrantLevel, string> = {
  service: 'Service',
  region: 'Region',
  'project-iap': 'Project (IAP)',
  project: 'Project IAM',
  folder: 'Folder IAM',
  organization: 'Organization IAM',
};

export function grantLevelText(level: GrantLevel): string {
  return GRANT_LEVEL_TEXT[level];
}

/** `projects/p/locations/r/services/s` → `s`. */
export function shortServiceName(name: string): string {
  return name.split('/').pop() ?? name;
}

export function VisuallyHidden({ children }: { children: React.ReactNode }) {
  return (
    <Box
      component="span"
      style={{
        position: 'absolute',
        width: 1,
        height: 1,
        overflow: 'hidden',
        clip: 'rect(0 0 0 0)',
        whiteSpace: 'nowrap',
      }}
    >
      {children}
    </Box>
  );
}
