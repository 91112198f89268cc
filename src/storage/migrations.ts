/**
 * Versioned migrations. Each area owns a range of versions and its own file:
 *   1–99 core (this file), 100–199 knowledge base, 200–299 consultation,
 *   300–399 Slack, 400–499 Teams, 500–599 reflections, 600–699 1on1, 700–799 privacy.
 *
 * Privacy rule for every table that holds something about a person: a `person_id`
 * column REFERENCES people(id) ON DELETE CASCADE, so that erasing the person erases it.
 */
import type Database from 'better-sqlite3';
import { knowledgeMigrations } from '../knowledge/schema';
import { consultationMigrations } from '../consultation/schema';
import { privacyMigrations } from '../privacy/schema';
import { reflectionMigrations } from '../reflections/schema';
import { teamsMigrations } from '../channels/teams/schema';

export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}

const ISO_NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

export const coreMigrations: Migration[] = [
  {
    version: 1,
    name: 'people, identities, conversations, consent, journal, outbox, audit',
    up: `
      CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        employee_id TEXT UNIQUE,               -- NULL for guests (not in the organisation import)
        name TEXT,
        email TEXT COLLATE NOCASE,
        manager_employee_id TEXT,              -- another person's employee_id; not a FK: managers may be imported later
        timezone TEXT,                         -- IANA zone; NULL = unknown, use the default
        locale TEXT CHECK (locale IN ('ja','en')),
        is_guest INTEGER NOT NULL DEFAULT 0,
        share_with_manager INTEGER NOT NULL DEFAULT 0,  -- 'share on|off': lessons and themes for 1on1 suggestions
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        updated_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );
      CREATE INDEX people_email ON people(email);
      CREATE INDEX people_manager ON people(manager_employee_id);

      -- How a person is reached on each channel. external_id: Slack user id, Teams AAD object id (or Teams user id).
      CREATE TABLE identities (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        channel TEXT NOT NULL CHECK (channel IN ('slack','teams','cli')),
        external_id TEXT NOT NULL,
        team_id TEXT,                          -- Slack team / Teams tenant
        dm_channel_id TEXT,                    -- Slack DM channel, once known
        conversation_ref TEXT,                 -- JSON Teams ConversationReference for proactive messages
        reachable INTEGER NOT NULL DEFAULT 1,
        unreachable_reason TEXT,
        updated_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        UNIQUE (channel, external_id)
      );
      CREATE INDEX identities_person ON identities(person_id);

      -- Consent decisions with the version of the text the person saw.
      -- kind: 'purpose_notice' (first contact), 'weekly_reflection' (scheduled prompts).
      CREATE TABLE consents (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        granted INTEGER NOT NULL,
        notice_version TEXT NOT NULL,
        decided_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        PRIMARY KEY (person_id, kind)
      );

      -- A DM thread (or CLI session) with its bounded memory of turns.
      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        thread_key TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        updated_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        UNIQUE (person_id, channel, thread_key)
      );
      CREATE TABLE conversation_messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user','assistant')),
        content TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );
      CREATE INDEX conversation_messages_conv ON conversation_messages(conversation_id, id);
      CREATE INDEX conversation_messages_created ON conversation_messages(created_at);

      -- Every generated (or offline) answer, so feedback can refer to it with its sources.
      CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        answer TEXT NOT NULL,
        sources TEXT NOT NULL DEFAULT '[]',    -- JSON array of document ids
        generated INTEGER NOT NULL,            -- 1 = by the model, 0 = offline
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );
      CREATE INDEX answers_person ON answers(person_id);
      CREATE INDEX answers_created ON answers(created_at);
      CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
        rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        UNIQUE (answer_id, person_id)
      );

      -- Weekly reflection settings, one row per person who has any.
      CREATE TABLE reflection_settings (
        person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
        enabled INTEGER NOT NULL DEFAULT 0,    -- consent to weekly prompts
        weekday INTEGER NOT NULL DEFAULT 5 CHECK (weekday BETWEEN 1 AND 7),  -- ISO: 1 = Monday, 5 = Friday
        local_time TEXT NOT NULL DEFAULT '16:00',
        paused_until TEXT,                     -- ISO date (local), inclusive
        skip_week TEXT,                        -- cycle week key to skip, e.g. 2026-W47
        invited_at TEXT,
        updated_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );

      -- One reflection dialogue (weekly or on demand) walking the experiential-learning cycle.
      CREATE TABLE reflection_sessions (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        cycle_week TEXT,                       -- e.g. 2026-W47 for scheduled sessions
        step TEXT NOT NULL DEFAULT 'experience', -- experience | reflection | lesson | experiment | done
        started_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        completed_at TEXT
      );
      CREATE INDEX reflection_sessions_person ON reflection_sessions(person_id, id);

      -- The private experience journal. shared = the person chose to share this entry with their manager.
      CREATE TABLE journal_entries (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        session_id INTEGER REFERENCES reflection_sessions(id) ON DELETE SET NULL,
        experience TEXT,
        reflection TEXT,
        lesson TEXT,
        experiment TEXT,
        experiment_outcome TEXT,               -- next week's answer to 'how did it go?'
        themes TEXT NOT NULL DEFAULT '[]',     -- JSON array of short theme words
        shared INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW},
        updated_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );
      CREATE INDEX journal_entries_person ON journal_entries(person_id, created_at);

      -- Durable outbox: one row per message that must go out once. dedupe_key is unique,
      -- e.g. 'reflection:42:2026-W47', so a prompt is enqueued at most once per person and cycle week.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        dedupe_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,                    -- invitation | reflection_prompt | reminder | summary
        channel TEXT,                          -- chosen at send time when NULL
        payload TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT NOT NULL DEFAULT ${ISO_NOW},
        claimed_by TEXT,
        claimed_at TEXT,
        sent_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );
      CREATE INDEX outbox_due ON outbox(status, not_before);

      -- 1on1 preparation requests: who asked about whom, when. The member can see these.
      CREATE TABLE oneonone_requests (
        id INTEGER PRIMARY KEY,
        manager_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        member_person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        suggested TEXT NOT NULL DEFAULT '[]',  -- JSON array of question ids or texts, to avoid repeats
        created_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );
      CREATE INDEX oneonone_member ON oneonone_requests(member_person_id, created_at);

      -- Pending confirmations of destructive actions (forget), with an expiry.
      CREATE TABLE pending_confirmations (
        token TEXT PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );

      -- Pseudonymous audit trail: hashes, never names or ids in clear. Survives erasure by design.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT ${ISO_NOW},
        action TEXT NOT NULL,
        actor_hash TEXT,
        subject_hash TEXT,
        detail TEXT
      );

      -- Deduplication of inbound platform events (Slack retries after 3 s).
      CREATE TABLE processed_events (
        event_key TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL DEFAULT ${ISO_NOW}
      );
    `,
  },
];

export const allMigrations: Migration[] = [...coreMigrations, ...knowledgeMigrations, ...reflectionMigrations, ...privacyMigrations, ...teamsMigrations, ...consultationMigrations];
