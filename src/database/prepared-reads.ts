import type { Pool } from 'mysql2';
import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

type Row = Record<string, unknown>;
type Parameter = string | number | null;

/** One prepared statement: every row it selects, as the database sends it. */
export type Run = (parameters: Parameter[]) => Promise<Row[]>;

/** What is used of better-sqlite3 (TypeORM's `driver.databaseConnection`). */
interface Database {
  prepare(sql: string): { all(...parameters: Parameter[]): unknown[] };
}

/**
 * The reads every request makes (a video by id, a session, the logged-in account) as prepared
 * statements, hydrated from the entity's metadata by the driver's own conversion: the same values
 * TypeORM gives, without building the query and mapping the result on each call. TypeORM's
 * `findOneBy` cost about 0.45 ms of CPU per call here, more than the rest of the request
 * (docs/benchmarks.md). Writes and rare reads stay with TypeORM.
 */
@Injectable()
export class PreparedReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rows of `sql` (with `?` placeholders), prepared once and reused. */
  statement(sql: string): Run {
    const driver = this.dataSource.driver as unknown as { databaseConnection?: Database; pool?: Pool };
    if (this.dataSource.options.type === 'better-sqlite3') {
      let prepared: ReturnType<Database['prepare']> | undefined;
      return (parameters) => {
        try {
          prepared ??= (driver.databaseConnection as Database).prepare(sql);
          return Promise.resolve(prepared.all(...parameters) as Row[]);
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
    }
    // mysql2 keeps each prepared statement per pooled connection.
    return (parameters) =>
      new Promise((resolve, reject) =>
        (driver.pool as Pool).execute(sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows as Row[]))),
      );
  }

  /**
   * The first entity that `where` (SQL over column names, `?` placeholders) selects, every column
   * of `select` (default: all) read and converted as TypeORM would (types, transformers), or null.
   */
  entity<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    where: string,
    select?: readonly (keyof T & string)[],
  ): (parameters: Parameter[]) => Promise<T | null> {
    const metadata = this.dataSource.getMetadata(target);
    const driver = this.dataSource.driver;
    const columns = metadata.columns
      .filter((column) => !select || select.includes(column.propertyName as keyof T & string))
      .map((column) => ({ column, name: column.databaseName }));
    const list = columns.map(({ name }) => driver.escape(name)).join(', ');
    const run = this.statement(`SELECT ${list} FROM ${driver.escape(metadata.tableName)} WHERE ${where} LIMIT 1`);
    return async (parameters) => {
      const [row] = await run(parameters);
      if (!row) return null;
      const entity = metadata.create() as T;
      for (const { column, name } of columns) {
        (entity as Row)[column.propertyName] = driver.prepareHydratedValue(row[name], column);
      }
      return entity;
    };
  }
}

/** PreparedReads for every module (the foundation lists it beside TypeORM's root). */
@Global()
@Module({ providers: [PreparedReads], exports: [PreparedReads] })
export class PreparedReadsModule {}
