/** Knowledge-base tables (migration versions 100–199). */
import type { Migration } from '../storage/migrations';

export const knowledgeMigrations: Migration[] = [];
