import type { Pool, ResultSetHeader } from 'mysql2';
import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { asError } from '../common/as-error.js';
import { inTransaction } from './transaction.js';

type Row = Record<string, unknown>;
type Parameter = string | number | null;

/** One prepared statement: every row it selects, as the database sends it. */
export type Run = (parameters: Parameter[]) => Promise<Row[]>;
/** One prepared write: resolves with the number of rows it changed. */
export type Write = (parameters: Parameter[]) => Promise<number>;

/** A statement with its parameters, as a query builder's `getQueryAndParameters()` gives it. */
export type Statement = [sql: string, parameters: unknown[]];

/** What is used of better-sqlite3 (TypeORM's `driver.databaseConnection`). */
interface Database {
  prepare(sql: string): Prepared;
  transaction(run: () => void): () => void;
}
interface Prepared {
  all(...parameters: Parameter[]): unknown[];
  run(...parameters: Parameter[]): { changes: number };
}

/**
 * The reads every request makes (a video by id, a session, the logged-in account) and the writes
 * every login makes (its session) as prepared statements, hydrated from the entity's metadata by
 * the driver's own conversion: the same values TypeORM gives, without building the query and
 * mapping the result on each call. TypeORM's `findOneBy` cost about 0.45 ms of CPU per call here,
 * more than the rest of the request; a login's account read and session write (TypeORM's
 * `upsert` reads the row back) moved here with the login's single write took its event-loop time
 * from about 5.3 to 4 ms (docs/benchmarks.md). Other writes and rare reads stay with TypeORM.
 */
@Injectable()
export class PreparedStatements {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rows of `sql` (with `?` placeholders), prepared once and reused. */
  statement(sql: string): Run {
    return this.prepare(
      sql,
      (statement, parameters) => statement.all(...parameters) as Row[],
      (result) => result as Row[],
    );
  }

  /** A write (`?` placeholders), prepared once and reused. */
  write(sql: string): Write {
    return this.prepare(
      sql,
      (statement, parameters) => statement.run(...parameters).changes,
      (result) => (result as ResultSetHeader).affectedRows,
    );
  }

  /**
   * `sql` prepared once per connection: on SQLite one statement, used by `onSqlite`; on MySQL
   * mysql2's execute (which keeps a prepared statement per pooled connection), its result read
   * by `onMysql`. Errors reject, never throw.
   */
  private prepare<T>(
    sql: string,
    onSqlite: (statement: Prepared, parameters: Parameter[]) => T,
    onMysql: (result: unknown) => T,
  ): (parameters: Parameter[]) => Promise<T> {
    const driver = this.dataSource.driver as unknown as { databaseConnection?: Database; pool?: Pool };
    if (this.dataSource.options.type === 'better-sqlite3') {
      let prepared: Prepared | undefined;
      return (parameters) => {
        try {
          prepared ??= (driver.databaseConnection as Database).prepare(sql);
          return Promise.resolve(onSqlite(prepared, parameters));
        } catch (error) {
          return Promise.reject(asError(error));
        }
      };
    }
    return (parameters) =>
      new Promise((resolve, reject) =>
        (driver.pool as Pool).execute(sql, parameters, (error, result) => (error ? reject(error) : resolve(onMysql(result)))),
      );
  }

  /**
   * Writes that land together or not at all. On SQLite they run at once in one better-sqlite3
   * transaction: TypeORM's would stay open across awaits on the one connection, and another
   * request's statements made meanwhile would join it (and go with its rollback). On MySQL one
   * transaction on a pooled connection, run again after a deadlock (inTransaction).
   */
  async together(statements: Statement[]): Promise<void> {
    if (this.dataSource.options.type === 'better-sqlite3') {
      const db = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
      try {
        db.transaction(() => {
          for (const [sql, parameters] of statements) db.prepare(sql).run(...(parameters as Parameter[]));
        })();
        return;
      } catch (error) {
        throw asError(error);
      }
    }
    await inTransaction(this.dataSource, async (manager) => {
      for (const [sql, parameters] of statements) await manager.query(sql, parameters);
    });
  }

  /**
   * Writes a whole entity: inserted, or where its `key` (the primary key) is taken, every other
   * column updated. Values go through the columns' transformers as TypeORM's would.
   */
  upsert<T extends ObjectLiteral>(target: EntityTarget<T>, key: keyof T & string): (entity: T) => Promise<void> {
    const metadata = this.dataSource.getMetadata(target);
    const driver = this.dataSource.driver;
    const name = (column: (typeof metadata.columns)[number]) => driver.escape(column.databaseName);
    const keyColumn = metadata.columns.find((column) => column.propertyName === key);
    if (!keyColumn) throw new Error(`${metadata.name} has no column ${key}`);
    const others = metadata.columns.filter((column) => column !== keyColumn).map(name);
    const mysql = this.dataSource.options.type !== 'better-sqlite3';
    const write = this.write(
      `INSERT INTO ${driver.escape(metadata.tableName)} (${metadata.columns.map(name).join(', ')}) ` +
        `VALUES (${metadata.columns.map(() => '?').join(', ')}) ` +
        (mysql
          ? `ON DUPLICATE KEY UPDATE ${others.map((column) => `${column} = VALUES(${column})`).join(', ')}`
          : `ON CONFLICT (${name(keyColumn)}) DO UPDATE SET ${others.map((column) => `${column} = excluded.${column}`).join(', ')}`),
    );
    return async (entity) => {
      await write(metadata.columns.map((column) => driver.preparePersistentValue(entity[column.propertyName], column) as Parameter));
    };
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

/** PreparedStatements for every module (the foundation lists it beside TypeORM's root). */
@Global()
@Module({ providers: [PreparedStatements], exports: [PreparedStatements] })
export class PreparedStatementsModule {}
