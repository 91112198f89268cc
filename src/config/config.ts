/**
 * Configuration: read once from the environment (and `.env`), validated with zod.
 * Every problem is reported at once, by variable name, with what a good value looks like.
 * Secret values never appear in an error message or a log line.
 */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { isValidTimeZone } from '../core/time';

/** Variables whose values must never be printed. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MicrosoftAppPassword',
  'OPENAI_API_KEY',
  'AZURE_OPENAI_API_KEY',
] as const;

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A whole number within [min, max]; empty means `fallback`. */
const wholeNumber = (options: { min: number; max: number; example: string; fallback: number; describe: string }) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return options.fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < options.min || n > options.max) {
        ctx.addIssue({ code: 'custom', message: `must be ${options.describe}, for example ${options.example}` });
        return z.NEVER;
      }
      return n;
    });

const positiveInt = (example: string, fallback: number) =>
  wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER, example, fallback, describe: 'a positive whole number' });

const httpUrl = (example: string) =>
  optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/i.test(v), {
    message: `must be an http(s) URL, for example ${example}`,
  });

const timeZone = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? 'Asia/Tokyo' : v))
  .refine(isValidTimeZone, { message: 'must be an IANA time zone, for example Asia/Tokyo or Europe/London' });

const environmentSchema = z
  .object({
    NODE_ENV: optionalText.pipe(
      z.enum(['development', 'production', 'test'], { message: 'must be development, production or test' }).optional(),
    ),
    PORT: wholeNumber({ min: 0, max: 65535, example: '3978', fallback: 3978, describe: 'a port number from 0 to 65535' }),
    HOST: optionalText,
    LOG_LEVEL: optionalText.pipe(
      z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          message: 'must be one of fatal, error, warn, info, debug, trace, silent',
        })
        .optional(),
    ),

    SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^xoxb-/.test(v), {
      message: 'must be a bot token starting with xoxb-',
    }),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || /^xapp-/.test(v), {
      message: 'must be an app-level token starting with xapp-',
    }),
    SLACK_API_URL: httpUrl('https://slack.com/api/'),

    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: optionalText.pipe(
      z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
        message: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
      }).optional(),
    ),
    MicrosoftAppTenantId: optionalText,

    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: httpUrl('http://127.0.0.1:11434/v1'),
    OPENAI_MODEL: optionalText,
    OPENAI_EMBEDDING_MODEL: optionalText,
    AZURE_OPENAI_API_KEY: optionalText,
    AZURE_OPENAI_API_INSTANCE_NAME: optionalText,
    AZURE_OPENAI_API_DEPLOYMENT_NAME: optionalText,
    AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME: optionalText,
    AZURE_OPENAI_API_VERSION: optionalText,
    // Trailing slashes dropped: LangChain appends `/{deployment}` to it.
    AZURE_OPENAI_BASE_PATH: httpUrl('https://my-proxy.example.com/openai/deployments').transform((v) => v?.replace(/\/+$/, '')),
    TSUMIKI_LLM_TIMEOUT_MS: positiveInt('20000', 20000),
    TSUMIKI_LLM_MAX_RETRIES: wholeNumber({ min: 0, max: 10, example: '2', fallback: 2, describe: 'a whole number from 0 to 10' }),

    TSUMIKI_DB: optionalText,
    TSUMIKI_DATA_DIR: optionalText,
    TSUMIKI_DEFAULT_TIMEZONE: timeZone,
    TSUMIKI_DEFAULT_LOCALE: optionalText.pipe(z.enum(['ja', 'en'], { message: 'must be ja or en' }).optional()),
    TSUMIKI_PLAYGROUND: optionalText.pipe(z.enum(['on', 'off'], { message: 'must be on or off' }).optional()),
    TSUMIKI_HR_EMPLOYEE_IDS: optionalText,
    TSUMIKI_CAREER_CONSULTANT_CONTACT: optionalText,
    TSUMIKI_RETENTION_DAYS: positiveInt('90', 90),
    TSUMIKI_MAX_BODY_BYTES: positiveInt('1048576', 1_048_576),
    TSUMIKI_SCHEDULER: optionalText.pipe(z.enum(['on', 'off'], { message: 'must be on or off' }).optional()),
  });

import type { Locale } from "../core/types";
export type { Locale };

/**
 * Rules that tie variables together. Checked on the raw values, so they are reported together
 * with every single-variable problem, not only after those are fixed.
 */
function combinationProblems(source: NodeJS.ProcessEnv): string[] {
  const v = (name: string) => {
    const value = source[name]?.trim();
    return value ? value : undefined;
  };
  const problems: string[] = [];
  if (v('SLACK_APP_TOKEN') && !v('SLACK_BOT_TOKEN')) {
    problems.push('SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode needs both), e.g. xoxb-…');
  }
  if (v('SLACK_BOT_TOKEN') && !v('SLACK_APP_TOKEN') && !v('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode); copy it from Basic Information → Signing Secret',
    );
  }
  if (v('MicrosoftAppId') && !v('MicrosoftAppPassword') && v('MicrosoftAppType') !== 'UserAssignedMSI') {
    problems.push('MicrosoftAppPassword is required with MicrosoftAppId (the client secret of the Azure Bot registration)');
  }
  if (v('MicrosoftAppType') === 'SingleTenant' && !v('MicrosoftAppTenantId')) {
    problems.push('MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant (a directory id GUID)');
  }
  // With AZURE_OPENAI_BASE_PATH the URL no longer comes from the instance name, so that one is optional.
  const azure = ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_API_DEPLOYMENT_NAME', ...(v('AZURE_OPENAI_BASE_PATH') ? [] : ['AZURE_OPENAI_API_INSTANCE_NAME'])];
  if ([...azure, 'AZURE_OPENAI_API_INSTANCE_NAME', 'AZURE_OPENAI_BASE_PATH'].some((name) => v(name)) && !azure.every((name) => v(name))) {
    for (const name of azure) if (!v(name)) problems.push(`${name} is required when Azure OpenAI is configured`);
  }
  return problems;
}

export interface SlackConfig {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
}

export interface TeamsConfig {
  appId?: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

export type ModelConfig =
  | { provider: 'openai'; apiKey: string; baseUrl?: string; chatModel: string; embeddingModel?: string }
  | {
      provider: 'azure';
      apiKey: string;
      /** `{instance}.openai.azure.com`; unused when `basePath` is set. */
      instanceName?: string;
      deploymentName: string;
      embeddingsDeploymentName?: string;
      apiVersion: string;
      /** `AZURE_OPENAI_BASE_PATH`, ending in `/openai/deployments` (proxies, sovereign clouds, tests); wins over the instance name. */
      basePath?: string;
    };

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: string;
  localMode: boolean;
  playground: boolean;
  scheduler: boolean;
  slack?: SlackConfig;
  teams?: TeamsConfig;
  model?: ModelConfig;
  llm: { timeoutMs: number; maxRetries: number };
  databasePath: string;
  dataDir: string;
  defaultTimezone: string;
  defaultLocale: Locale;
  hrEmployeeIds: string[];
  careerConsultantContact: string;
  retentionDays: number;
  maxBodyBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Loads `.env` (if present) under the existing environment; the environment wins. */
export function readDotEnv(cwd = process.cwd()): Record<string, string> {
  const file = path.join(cwd, '.env');
  if (!fs.existsSync(file)) return {};
  return dotenv.parse(fs.readFileSync(file));
}

/**
 * Validates an environment and turns it into a Config.
 * @throws ConfigError listing every problem by variable name (never with a secret's value).
 */
export function loadConfig(source: NodeJS.ProcessEnv = { ...readDotEnv(), ...process.env }): Config {
  const parsed = environmentSchema.safeParse(source);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`)),
    ...combinationProblems(source),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const env = e.NODE_ENV ?? 'development';
  const slack: SlackConfig | undefined = e.SLACK_BOT_TOKEN
    ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL }
    : undefined;
  const teams: TeamsConfig | undefined = e.MicrosoftAppId
    ? {
        appId: e.MicrosoftAppId,
        appPassword: e.MicrosoftAppPassword,
        appType: e.MicrosoftAppType ?? 'MultiTenant',
        tenantId: e.MicrosoftAppTenantId,
      }
    : undefined;
  let model: ModelConfig | undefined;
  if (e.AZURE_OPENAI_API_KEY && (e.AZURE_OPENAI_API_INSTANCE_NAME || e.AZURE_OPENAI_BASE_PATH) && e.AZURE_OPENAI_API_DEPLOYMENT_NAME) {
    model = {
      provider: 'azure',
      apiKey: e.AZURE_OPENAI_API_KEY,
      instanceName: e.AZURE_OPENAI_API_INSTANCE_NAME,
      deploymentName: e.AZURE_OPENAI_API_DEPLOYMENT_NAME,
      embeddingsDeploymentName: e.AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME,
      apiVersion: e.AZURE_OPENAI_API_VERSION ?? '2024-10-21',
      basePath: e.AZURE_OPENAI_BASE_PATH,
    };
  } else if (e.OPENAI_API_KEY || e.OPENAI_BASE_URL) {
    // OpenAI-compatible local servers (Ollama, vLLM, LM Studio) often need no key; the client still wants one.
    model = {
      provider: 'openai',
      apiKey: e.OPENAI_API_KEY ?? 'not-needed',
      baseUrl: e.OPENAI_BASE_URL,
      chatModel: e.OPENAI_MODEL ?? 'gpt-4o-mini',
      embeddingModel: e.OPENAI_EMBEDDING_MODEL,
    };
  }
  const localMode = !slack && !teams && env !== 'production';
  return {
    env,
    port: e.PORT,
    host: e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    logLevel: e.LOG_LEVEL ?? (env === 'test' ? 'silent' : 'info'),
    localMode,
    playground: localMode && e.TSUMIKI_PLAYGROUND !== 'off',
    scheduler: e.TSUMIKI_SCHEDULER !== 'off',
    slack,
    teams,
    model,
    llm: { timeoutMs: e.TSUMIKI_LLM_TIMEOUT_MS, maxRetries: e.TSUMIKI_LLM_MAX_RETRIES },
    databasePath: e.TSUMIKI_DB ?? path.join('var', 'tsumiki.db'),
    dataDir: e.TSUMIKI_DATA_DIR ?? 'data',
    defaultTimezone: e.TSUMIKI_DEFAULT_TIMEZONE,
    defaultLocale: e.TSUMIKI_DEFAULT_LOCALE ?? 'ja',
    hrEmployeeIds: (e.TSUMIKI_HR_EMPLOYEE_IDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    careerConsultantContact: e.TSUMIKI_CAREER_CONSULTANT_CONTACT ?? 'career-consult@hoshizora.example',
    retentionDays: e.TSUMIKI_RETENTION_DAYS,
    maxBodyBytes: e.TSUMIKI_MAX_BODY_BYTES,
  };
}

/** A description safe to log: which channels and providers are on, never a secret. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    env: config.env,
    localMode: config.localMode,
    slack: config.slack ? (config.slack.appToken ? 'socket-mode' : 'http') : 'off',
    teams: config.teams ? 'on' : config.localMode ? 'local (no authentication, loopback only)' : 'off',
    model: config.model ? config.model.provider : 'offline',
    database: config.databasePath,
    dataDir: config.dataDir,
  };
}
