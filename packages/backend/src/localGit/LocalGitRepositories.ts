import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '@backstage/errors';
import type { Config } from '@backstage/config';

const exec = promisify(execFile);

/** Owner and repository names: lowercase letters, digits, `.`, `_` and `-`, not starting with a dot. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

/** The result of publishing a directory into a repository. */
export type PublishResult = {
  commit: string;
  /** The repository did not exist before. */
  created: boolean;
  /** A new commit was made (false when the branch already held the same files). */
  changed: boolean;
};

/** A file read from a branch; `etag` is the git blob id. */
export interface RepositoryFile {
  content: Buffer;
  etag: string;
}

/** What a repository's read route shows about it. */
export interface RepositorySummary {
  owner: string;
  name: string;
  defaultBranch: string;
  head: string;
  files: string[];
}

/** `owner/name` checked against the naming rules; the field name goes into the message. */
export function parseRepositoryRef(
  ref: string,
  field = 'repo',
): { owner: string; name: string } {
  const parts = ref.split('/');
  if (parts.length !== 2 || !NAME.test(parts[0]) || !NAME.test(parts[1])) {
    throw new InputError(
      `${field} must be owner/name, each of lowercase letters, digits, '.', '_' or '-' and not starting with '.' (got ${JSON.stringify(
        ref,
      )})`,
    );
  }
  return { owner: parts[0], name: parts[1] };
}

/**
 * Bare git repositories under one data directory, for local development where no git host is
 * reachable: `<dataDir>/<owner>/<name>.git`. Publishing writes a directory's files as one commit
 * on the default branch (nothing when the branch already holds the same tree), so running a
 * template again converges on the same repository.
 */
export class LocalGitRepositories {
  static fromConfig(config: Config): LocalGitRepositories | undefined {
    const local = config.getOptionalConfig('localGit');
    if (!local?.getOptionalBoolean('enabled')) return undefined;
    const dataDir = path.resolve(
      local.getOptionalString('dataDir') ?? path.join('.data', 'local-git'),
    );
    return new LocalGitRepositories(dataDir);
  }

  constructor(readonly dataDir: string) {}

  private gitDir(owner: string, name: string) {
    parseRepositoryRef(`${owner}/${name}`);
    return path.join(this.dataDir, owner, `${name}.git`);
  }

  private async git(
    gitDir: string,
    args: string[],
    env: Record<string, string> = {},
    cwd?: string,
  ): Promise<string> {
    const { stdout } = await exec('git', [`--git-dir=${gitDir}`, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: tmpdir(),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout.trim();
  }

  async exists(owner: string, name: string): Promise<boolean> {
    return stat(path.join(this.gitDir(owner, name), 'HEAD')).then(
      () => true,
      () => false,
    );
  }

  /** Commits every file of `sourceDir` (minus what its .gitignore excludes) to the branch. */
  async publish(options: {
    owner: string;
    name: string;
    sourceDir: string;
    defaultBranch?: string;
    message: string;
    author: { name: string; email: string };
    description?: string;
  }): Promise<PublishResult> {
    const branch = options.defaultBranch ?? 'main';
    if (!BRANCH.test(branch) || branch.includes('..')) {
      throw new InputError(
        `defaultBranch must be a plain branch name (got ${JSON.stringify(
          branch,
        )})`,
      );
    }
    const gitDir = this.gitDir(options.owner, options.name);
    const created = !(await this.exists(options.owner, options.name));
    if (created) {
      await mkdir(path.dirname(gitDir), { recursive: true });
      await exec('git', [
        'init',
        '--bare',
        '--quiet',
        `--initial-branch=${branch}`,
        gitDir,
      ]);
    }
    if (options.description) {
      await this.git(gitDir, [
        'config',
        'gitweb.description',
        options.description,
      ]);
    }

    // A private index, so nothing is left behind in the source directory.
    const scratch = await mkdtemp(path.join(tmpdir(), 'local-git-'));
    try {
      const env = {
        GIT_INDEX_FILE: path.join(scratch, 'index'),
        GIT_WORK_TREE: options.sourceDir,
        GIT_AUTHOR_NAME: options.author.name,
        GIT_AUTHOR_EMAIL: options.author.email,
        GIT_COMMITTER_NAME: options.author.name,
        GIT_COMMITTER_EMAIL: options.author.email,
      };
      await this.git(gitDir, ['add', '--all', '.'], env, options.sourceDir);
      const tree = await this.git(gitDir, ['write-tree'], env);
      const ref = `refs/heads/${branch}`;
      const parent = await this.git(gitDir, [
        'rev-parse',
        '--verify',
        '--quiet',
        ref,
      ]).catch(() => '');
      if (parent) {
        const parentTree = await this.git(gitDir, [
          'rev-parse',
          `${parent}^{tree}`,
        ]);
        if (parentTree === tree) {
          return { commit: parent, created, changed: false };
        }
      }
      const commit = await this.git(
        gitDir,
        [
          'commit-tree',
          tree,
          ...(parent ? ['-p', parent] : []),
          '-m',
          options.message,
        ],
        env,
      );
      // Compare-and-swap: a concurrent publish of the same branch makes this fail, not lose a commit.
      await this.git(gitDir, [
        'update-ref',
        ref,
        commit,
        parent || '0'.repeat(40),
      ]);
      await this.git(gitDir, ['symbolic-ref', 'HEAD', ref]);
      return { commit, created, changed: true };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** A file on a branch (or commit), or undefined when the repository, ref or file does not exist. */
  async readFile(
    owner: string,
    name: string,
    ref: string,
    filePath: string,
  ): Promise<RepositoryFile | undefined> {
    if (!(await this.exists(owner, name))) return undefined;
    if (
      !BRANCH.test(ref) ||
      ref.includes('..') ||
      filePath.split('/').includes('..')
    ) {
      return undefined;
    }
    const gitDir = this.gitDir(owner, name);
    const spec = `${ref}:${filePath.replace(/^\/+/, '')}`;
    const etag = await this.git(gitDir, [
      'rev-parse',
      '--verify',
      '--quiet',
      spec,
    ]).catch(() => '');
    if (!etag) return undefined;
    const type = await this.git(gitDir, ['cat-file', '-t', etag]);
    if (type !== 'blob') return undefined;
    const { stdout } = await exec(
      'git',
      [`--git-dir=${gitDir}`, 'cat-file', 'blob', etag],
      {
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { content: stdout, etag };
  }

  /** The default branch, its head commit and its files; undefined when there is no such repository. */
  async describe(
    owner: string,
    name: string,
  ): Promise<RepositorySummary | undefined> {
    if (!(await this.exists(owner, name))) return undefined;
    const gitDir = this.gitDir(owner, name);
    const ref = await this.git(gitDir, ['symbolic-ref', 'HEAD']);
    const head = await this.git(gitDir, [
      'rev-parse',
      '--verify',
      '--quiet',
      ref,
    ]).catch(() => '');
    const files = head
      ? (await this.git(gitDir, ['ls-tree', '-r', '--name-only', head]))
          .split('\n')
          .filter(Boolean)
      : [];
    return {
      owner,
      name,
      defaultBranch: ref.replace(/^refs\/heads\//, ''),
      head,
      files,
    };
  }

  /** How many commits the default branch has (for tests and the summary page). */
  async commitCount(owner: string, name: string): Promise<number> {
    const summary = await this.describe(owner, name);
    if (!summary?.head) return 0;
    const count = await this.git(this.gitDir(owner, name), [
      'rev-list',
      '--count',
      summary.head,
    ]);
    return Number(count);
  }
}
