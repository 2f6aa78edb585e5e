/**
 * The schema of shared mode, as versioned SQL. A migration is never edited once released: add the next one.
 * pg-boss keeps its own tables in the `pgboss` schema and migrates them itself.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'dataset, digest ledger, rate limits, slack events',
    sql: `
      -- Every pushed dataset; the records of the few newest are kept.
      CREATE TABLE dataset_revisions (
        revision   bigserial PRIMARY KEY,
        version    text NOT NULL,
        pushed_at  timestamptz NOT NULL DEFAULT now(),
        pushed_by  text NOT NULL,
        counts     jsonb NOT NULL
      );
      -- One row per record of a collection (sales, companies, ...), in file order, as validated by src/data/schema.ts.
      CREATE TABLE dataset_records (
        revision   bigint NOT NULL REFERENCES dataset_revisions (revision) ON DELETE CASCADE,
        collection text NOT NULL,
        position   int NOT NULL,
        doc        jsonb NOT NULL,
        PRIMARY KEY (revision, collection, position)
      );
      -- Which revision every instance serves (one row).
      CREATE TABLE dataset_head (
        id       boolean PRIMARY KEY DEFAULT true CHECK (id),
        revision bigint NOT NULL REFERENCES dataset_revisions (revision)
      );
      -- The digest ledger: a claim before a post, the platform's message id after it (see src/shared/ledger.ts).
      CREATE TABLE digest_ledger (
        platform      text NOT NULL,
        channel       text NOT NULL,
        month         text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
        state         text NOT NULL CHECK (state IN ('posting', 'posted')),
        claimed_at    timestamptz NOT NULL,
        owner_run     text NOT NULL,
        owner_pid     int NOT NULL,
        owner_host    text NOT NULL,
        owner_backend int,
        owner_backend_start timestamptz,
        doubt_at      timestamptz,
        doubt_reason  text,
        posted_at     timestamptz,
        message_id    text,
        message_channel text,
        settled_by    text CHECK (settled_by IN ('history', 'operator')),
        PRIMARY KEY (month, platform, channel)
      );
      CREATE INDEX digest_ledger_channel ON digest_ledger (platform, channel);
      CREATE TABLE digest_last_run (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        at timestamptz NOT NULL,
        ok boolean NOT NULL
      );
      -- rate-limiter-flexible's table (created here, so instances starting together do not race to create it).
      CREATE TABLE rate_limits (
        key    varchar(255) PRIMARY KEY,
        points int NOT NULL DEFAULT 0,
        expire bigint
      );
      -- Slack event ids answered in the last minutes, whichever instance got them.
      CREATE TABLE slack_events (
        event_id text PRIMARY KEY,
        seen_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX slack_events_seen_at ON slack_events (seen_at);
    `,
  },
  {
    version: 2,
    name: 'slack installations',
    sql: `
      -- Slack for many workspaces: one row per workspace (or Enterprise Grid org) the app is installed in, the
      -- installation as @slack/oauth builds it (bot token, installer, digest channel), see src/shared/installations.ts.
      CREATE TABLE slack_installations (
        enterprise_id text NOT NULL DEFAULT '',
        team_id       text NOT NULL DEFAULT '',
        installation  jsonb NOT NULL,
        installed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (enterprise_id, team_id)
      );
    `,
  },
  {
    version: 3,
    name: 'subscriptions',
    sql: `
      -- /subscribe and /alert: one row per subscription, the document validated by src/subscriptions/schema.ts;
      -- deliveries are recorded in digest_ledger under the channel "sub:<id>".
      CREATE TABLE subscriptions (
        id         text PRIMARY KEY,
        platform   text NOT NULL,
        owner      text NOT NULL,
        doc        jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX subscriptions_owner ON subscriptions (platform, owner);
    `,
  },
];
