import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { PreparedStatements, type Run } from '../database/prepared-statements.js';
import type { PurgeEntry } from '../infra/storage/storage-purge.js';
import { OwnerVideos, type OwnerUsage } from './owner-videos.js';
import { isVideoId, VISIBILITIES, type Visibility } from './video.rules.js';
import { gramsAreExact, searchKey, wordGrams } from '../common/search-text.js';
import { titleGramsOf } from '../database/title-grams.js';
import { inTransaction } from '../database/transaction.js';
import type { ListCursor, ListQuery } from './video-list.js';
import type { ProcessingStage, Video, VideoStatus } from './video.entity.js';
import { Video as VideoEntity } from './video.entity.js';

/** Ids per UPDATE … IN (…) of a views flush. */
const VIEW_UPDATE_CHUNK = 500;

/** A row of `video_usage` as the driver sends it (bigint as a string on MySQL). */
type UsageRow = Record<string, unknown>;

/** An account's kept totals; zeros for an account without a row (no video yet). */
interface Totals {
  videos: number;
  public_videos: number;
  bytes: number;
}

const toTotals = (row: UsageRow | undefined): Totals => ({
  videos: Number(row?.videos ?? 0),
  public_videos: Number(row?.public_videos ?? 0),
  bytes: Number(row?.bytes ?? 0),
});

const toUsage = ({ videos, bytes }: Totals): OwnerUsage => ({ videoCount: videos, storageUsed: bytes });

/** The column of `video_usage` that counts the videos of these visibilities, if one does. */
function keptCount(visibilities: Visibility[]): 'videos' | 'public_videos' | null {
  if (VISIBILITIES.every((visibility) => visibilities.includes(visibility))) return 'videos';
  return visibilities.length === 1 && visibilities[0] === 'public' ? 'public_videos' : null;
}

/**
 * A search's words as conditions (named parameters `uid`, `visibilities` and their own):
 * `candidates` selects the seqs of the videos with all the words' grams, reading the entries of
 * the rarest (`gram0`) and looking the others up by primary key; `hasGrams` tests one row `v`
 * the same way; `unsure` are the words those do not settle; `total` is the number of matches when
 * the kept counts alone tell it.
 */
interface TitleSearch {
  candidates: string;
  hasGrams: string;
  parameters: Record<string, unknown>;
  unsure: string[];
  total: number | null;
}

function gramConditions(words: string[], byRarity: number[], total: number | null): TitleSearch {
  // One lookup per gram, the rarest first: most rows fail at the first.
  const has = (row: string, from: number) =>
    byRarity
      .slice(from)
      .map(
        (_, i) =>
          `EXISTS (SELECT 1 FROM video_title_grams h WHERE h.uid = ${row}.uid AND h.gram = :gram${from + i} AND h.visibility = ${row}.visibility AND h.seq = ${row}.seq)`,
      );
  const driver = 'SELECT g.seq FROM video_title_grams g WHERE g.uid = :uid AND g.visibility IN (:...visibilities) AND g.gram = :gram0';
  return {
    candidates: [driver, ...has('g', 1)].join(' AND '),
    hasGrams: has('v', 0).join(' AND '),
    parameters: Object.fromEntries(byRarity.map((gram, i) => [`gram${i}`, gram])),
    unsure: words.filter((word) => !gramsAreExact(word)),
    total,
  };
}

/** Walking a sort's index costs about this many times more per row than sorting a match. */
const WALK_COST = 3;

/** What a finished run writes on its row. */
export type RunResult = Pick<Video, 'duration' | 'width' | 'height' | 'codec' | 'renditionKey' | 'coverKey' | 'renditionBytes'>;

/**
 * Every query on `videos`, by name. A run's writes apply only while the row is `processing`
 * under that run (`run` null: whatever run it has), so a superseded job changes nothing.
 * `video_usage` (each account's videos, public ones and bytes) is kept by triggers on `videos`, in the
 * very statement that writes a row (migration VideoUsage1770000000000); it is only read here.
 */
@Injectable()
export class VideoRepository implements OwnerVideos {
  private readonly byId: (parameters: [string]) => Promise<Video | null>;
  private readonly usageOfOne: Run;
  /** How many videos of a space have a gram, by the number of visibilities asked. */
  private readonly gramCounts: Record<number, Run> = {};

  constructor(
    @InjectRepository(VideoEntity) private readonly videos: Repository<Video>,
    private readonly reads: PreparedStatements,
  ) {
    // Every read path of a video starts here; `me`, a space's profile and each upload ask for one account's totals: prepared.
    this.byId = reads.entity(VideoEntity, 'id = ?');
    this.usageOfOne = reads.statement('SELECT videos, public_videos, bytes FROM video_usage WHERE uid = ?');
  }

  /** Null for an id of any other form, without a query. */
  findById(id: string): Promise<Video | null> {
    return isVideoId(id) ? this.byId([id]) : Promise.resolve(null);
  }

  /** True, false, or throws when the database cannot tell. */
  exists(id: string): Promise<boolean> {
    return this.videos.existsBy({ id });
  }

  build(fields: Omit<Video, 'seq' | 'views' | 'titleKey'>): Video {
    return this.videos.create({ ...fields, titleKey: searchKey(fields.title), views: 0 });
  }

  /** The row and its title's grams, together. */
  async insert(video: Video): Promise<void> {
    const row = this.videos.createQueryBuilder().insert().into(VideoEntity).values(video).getQueryAndParameters();
    await this.reads.together([row, ...titleGramsOf(video.id, video.title)]);
  }

  private get sqlite(): boolean {
    return this.videos.manager.connection.options.type === 'better-sqlite3';
  }

  /**
   * A space's videos of the given visibilities, with `words` in the title, ordered by `sort`:
   * `new`/`old` walk IDX_videos_uid_seq, `views` IDX_videos_uid_views_seq. `after` continues
   * behind the last video of the previous page (keyset: inserts meanwhile shift nothing);
   * without it, `page` counts from the start. `next` is null on the last page.
   */
  async listByOwner(
    uid: number,
    visibilities: Visibility[],
    query: ListQuery,
  ): Promise<{ total: number; videos: Video[]; next: ListCursor | null }> {
    const search = query.words.length ? await this.titleSearch(uid, visibilities, query.words) : null;
    const base = this.videos
      .createQueryBuilder('v')
      .where('v.uid = :uid', { uid })
      .andWhere('v.visibility IN (:...visibilities)', { visibilities });
    search?.unsure.forEach((word, i) => base.andWhere(this.holds(`word${i}`), { [`word${i}`]: word }));
    const filtered = search ? base.clone().andWhere(`v.seq IN (${search.candidates})`, search.parameters) : base;
    const { after, sort } = query;
    const reach = (after ? 0 : (query.page - 1) * query.pageSize) + query.pageSize + 1;
    const index = sort === 'views' ? 'IDX_videos_uid_views_seq' : 'IDX_videos_uid_seq';
    let rows: Video[], total: number;
    if (!search) {
      // SQLite's planner walks the index by itself; MariaDB's may walk the whole uid prefix.
      const page = this.pageOf(base, query);
      [rows, total] = await Promise.all([this.pageRows(page, this.sqlite ? null : index), this.totalOf(uid, visibilities, null, filtered)]);
    } else {
      total = await this.totalOf(uid, visibilities, search, filtered);
      const walk = total > 0 && (await this.walkPays(uid, visibilities, reach, total));
      // Walking, each row is tested for its grams; else the matches are read and sorted.
      const page = this.pageOf(walk ? base.clone().andWhere(search.hasGrams, search.parameters) : filtered, query);
      rows = total ? await this.pageRows(page, walk ? index : null) : [];
    }
    const videos = rows.slice(0, query.pageSize);
    const last = videos.at(-1);
    const next = rows.length > query.pageSize && last ? { sort, seq: last.seq, ...(sort === 'views' ? { views: last.views } : {}) } : null;
    return { total, videos, next };
  }

  /**
   * How many videos the list has in all: without words, a whole space (its owner's view) or its
   * public videos (anyone else's) are kept totals; so is one word of one or two characters (its
   * gram's count); several such words are counted in `video_title_grams` alone; anything else is
   * counted on the rows.
   */
  private async totalOf(
    uid: number,
    visibilities: Visibility[],
    search: TitleSearch | null,
    filtered: SelectQueryBuilder<Video>,
  ): Promise<number> {
    const kept = search ? null : keptCount(visibilities);
    if (kept) return (await this.totals(uid))[kept];
    if (search?.total != null) return search.total;
    if (!search || search.unsure.length) return filtered.getCount();
    const [sql, parameters] = this.videos.manager.connection.driver.escapeQueryWithParameters(
      `SELECT COUNT(*) AS n FROM (${search.candidates}) c`,
      { uid, visibilities, ...search.parameters },
    );
    const [row] = await this.videos.query<{ n: number | string }[]>(sql, parameters);
    return Number(row.n);
  }

  /**
   * The search for `words`, its grams ordered rarest first in this space by their kept counts
   * (migration TitleGramCounts1773000000000). A gram no video has leaves nothing to find; one gram
   * that settles every word is its own total.
   */
  private async titleSearch(uid: number, visibilities: Visibility[], words: string[]): Promise<TitleSearch> {
    const grams = [...new Set(words.flatMap(wordGrams))];
    const count = (this.gramCounts[visibilities.length] ??= this.reads.statement(
      'SELECT COALESCE(SUM(n), 0) AS n FROM video_title_gram_counts WHERE uid = ? AND gram = ? ' +
        `AND visibility IN (${visibilities.map(() => '?').join(', ')})`,
    ));
    const counts = await Promise.all(grams.map(async (gram) => Number((await count([uid, gram, ...visibilities]))[0].n)));
    const byRarity = grams.map((gram, i) => ({ gram, n: counts[i] })).sort((x, y) => x.n - y.n);
    const settled = grams.length === 1 && words.every(gramsAreExact);
    const rarest = byRarity[0]?.n;
    const total = rarest === 0 ? 0 : settled ? rarest : null;
    return gramConditions(
      words,
      byRarity.map(({ gram }) => gram),
      total,
    );
  }

  /** `filtered` in `query`'s order, from its cursor or page, one row more than a page (whether there is a next). */
  private pageOf(filtered: SelectQueryBuilder<Video>, query: ListQuery): SelectQueryBuilder<Video> {
    const page = filtered.clone();
    const { after, sort } = query;
    if (sort === 'views') {
      // `views <= :views` first: a range on the index, which an OR alone would not give.
      if (after) page.andWhere('v.views <= :views AND (v.views < :views OR v.seq < :seq)', { views: after.views, seq: after.seq });
      page.orderBy('v.views', 'DESC').addOrderBy('v.seq', 'DESC');
    } else {
      if (after) page.andWhere(sort === 'new' ? 'v.seq < :seq' : 'v.seq > :seq', { seq: after.seq });
      page.orderBy('v.seq', sort === 'new' ? 'DESC' : 'ASC');
    }
    if (!after) page.offset((query.page - 1) * query.pageSize);
    return page.limit(query.pageSize + 1);
  }

  /**
   * Whether a search's page is cheaper found by walking the sort's index until `reach` matches
   * (about reach × space ÷ total rows, each read and tested) than by reading all `total` matches
   * and sorting them: page 1 of a common word walks, a rare word or a deep offset sorts.
   */
  private async walkPays(uid: number, visibilities: Visibility[], reach: number, total: number): Promise<boolean> {
    const space = (await this.totals(uid))[keptCount(visibilities) ?? 'videos'];
    return (WALK_COST * reach * space) / total < total;
  }

  /** A condition that the title's key holds `:parameter`, compared exactly (MariaDB's collation folds more than the key). */
  private holds(parameter: string): string {
    return this.sqlite ? `instr(v.title_key, :${parameter}) > 0` : `LOCATE(:${parameter}, v.title_key COLLATE utf8mb4_bin) > 0`;
  }

  /**
   * The page's rows, walking `index` in order when one is given, else as the planner likes.
   * MariaDB looks up `uid` in the index (ref) instead of seeking to the cursor within it (range),
   * which walks every video before the cursor: FORCE INDEX makes it seek. SQLite finds that range
   * by itself, but with a search reads every match and sorts them unless told (INDEXED BY). The
   * query picks seqs only, then the rows are read by primary key.
   */
  private async pageRows(page: SelectQueryBuilder<Video>, index: string | null): Promise<Video[]> {
    if (!index) return page.getMany();
    const [sql, parameters] = page.select('v.seq', 'seq').getQueryAndParameters();
    const forced = this.sqlite
      ? sql.replace('FROM "videos" "v"', `FROM "videos" "v" INDEXED BY "${index}"`)
      : sql.replace('FROM `videos` `v`', `FROM \`videos\` \`v\` FORCE INDEX (\`${index}\`)`);
    const seqs = (await this.videos.query<{ seq: number | string }[]>(forced, parameters)).map((row) => Number(row.seq));
    const bySeq = new Map((seqs.length ? await this.videos.findBy({ seq: In(seqs) }) : []).map((video) => [video.seq, video]));
    return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
  }

  /** Adds counted views in one transaction, one UPDATE per distinct amount (most are 1) and chunk of ids. */
  async addViews(counts: ReadonlyMap<string, number>): Promise<void> {
    const byAmount = new Map<number, string[]>();
    for (const [id, n] of counts) if (n > 0 && isVideoId(id)) byAmount.set(n, [...(byAmount.get(n) ?? []), id]);
    if (!byAmount.size) return;
    await inTransaction(this.videos.manager.connection, async (manager) => {
      for (const [n, ids] of byAmount) {
        for (let i = 0; i < ids.length; i += VIEW_UPDATE_CHUNK) {
          await manager
            .createQueryBuilder()
            .update(VideoEntity)
            .set({ views: () => `views + ${n}` })
            .where({ id: In(ids.slice(i, i + VIEW_UPDATE_CHUNK)) })
            .execute();
        }
      }
    });
  }

  /** Public videos only: the count a space shows to others (the owner's own figures are `usageOf`). */
  async countByOwner(uid: number): Promise<number> {
    return (await this.totals(uid)).public_videos;
  }

  /** A new title comes with its key and grams, in one transaction (its visibility's follow by trigger). */
  async update(id: string, fields: Partial<Pick<Video, 'title' | 'description' | 'visibility'>>): Promise<void> {
    const { title } = fields;
    if (title === undefined) {
      await this.videos.update({ id }, fields);
      return;
    }
    await this.reads.together([
      this.videos
        .createQueryBuilder()
        .update(VideoEntity)
        .set({ ...fields, titleKey: searchKey(title) })
        .where('id = :id', { id })
        .getQueryAndParameters(),
      ['DELETE FROM video_title_grams WHERE seq = (SELECT seq FROM videos WHERE id = ?)', [id]],
      ...titleGramsOf(id, title),
    ]);
  }

  async usageOf(uid: number): Promise<OwnerUsage> {
    return toUsage(await this.totals(uid));
  }

  private async totals(uid: number): Promise<Totals> {
    const [row] = await this.usageOfOne([uid]);
    return toTotals(row);
  }

  async usagesOf(uids: number[]): Promise<Map<number, OwnerUsage>> {
    const usage = new Map<number, OwnerUsage>();
    if (!uids.length) return usage;
    const rows = await this.videos.query<UsageRow[]>(
      `SELECT uid, videos, bytes FROM video_usage WHERE uid IN (${uids.map(() => '?').join(', ')})`,
      uids,
    );
    for (const row of rows) usage.set(Number(row.uid), toUsage(toTotals(row)));
    return usage;
  }

  async removeAllOf(uid: number, manager: EntityManager): Promise<PurgeEntry[]> {
    const videos = manager.getRepository(VideoEntity);
    const rows = await videos.find({ where: { uid }, select: { id: true, storageKey: true, coverKey: true, renditionKey: true } });
    const entries: PurgeEntry[] = [];
    for (const row of rows) {
      entries.push({ key: row.storageKey, prefix: false });
      if (row.coverKey && !row.coverKey.startsWith('renditions/')) entries.push({ key: row.coverKey, prefix: false });
      if (row.renditionKey) entries.push({ key: row.renditionKey, prefix: true });
    }
    await videos.delete({ uid });
    await manager.query('DELETE FROM video_usage WHERE uid = ?', [uid]);
    return entries;
  }

  /** The oldest rows in `processing` (IDX_videos_status), with their runs. */
  findProcessing(limit: number): Promise<Pick<Video, 'id' | 'run'>[]> {
    return this.videos.find({ where: { status: 'processing' }, select: { id: true, run: true }, order: { seq: 'ASC' }, take: limit });
  }

  /** Gives a `processing` row from before runs existed its run, unless something else just did. */
  async assignRun(id: string, run: string): Promise<boolean> {
    const { affected } = await this.videos.update({ id, run: IsNull(), status: 'processing' }, { run });
    return !!affected;
  }

  /** Starts a new run on a row still in `from` (reprocess); false when it changed meanwhile. */
  async startRun(id: string, from: VideoStatus, run: string): Promise<boolean> {
    const { affected } = await this.videos.update(
      { id, status: from },
      { status: 'processing', run, stage: null, percent: null, failure: null },
    );
    return !!affected;
  }

  async reportProgress(id: string, run: string | null, stage: ProcessingStage, percent: number): Promise<void> {
    await this.videos.update({ id, run: run ?? undefined, status: 'processing' }, { stage, percent });
  }

  /** Ends the run `ready`; false when the run was superseded (deleted, reprocessed, finished elsewhere). */
  async finishRun(id: string, run: string | null, result: RunResult): Promise<boolean> {
    const { affected } = await this.videos.update(
      { id, run: run ?? undefined, status: 'processing' },
      { ...result, status: 'ready', stage: null, percent: null, failure: null },
    );
    return !!affected;
  }

  async failRun(id: string, run: string | null, reason: string): Promise<void> {
    await this.videos.update(
      { id, run: run ?? undefined, status: 'processing' },
      { status: 'failed', failure: reason, stage: null, percent: null },
    );
  }

  /** Replaces the cover if it is still `from`; false when the row changed or went meanwhile. */
  async swapCover(id: string, from: string | null, to: string): Promise<boolean> {
    const { affected } = await this.videos.update({ id, coverKey: from ?? IsNull() }, { coverKey: to });
    return !!affected;
  }

  /** The owner's videos with exactly these bytes, newest first (duplicates of a file about to be uploaded). */
  findByHash(uid: number, sha256: string): Promise<Video[]> {
    return this.videos.find({ where: { uid, sha256 }, order: { seq: 'DESC' }, take: 20 });
  }

  /** The keys that name stored files (for the orphan sweep); null when no row has the id. */
  keysOf(id: string): Promise<Pick<Video, 'id' | 'coverKey' | 'renditionKey'> | null> {
    return isVideoId(id)
      ? this.videos.findOne({ where: { id }, select: { id: true, coverKey: true, renditionKey: true } })
      : Promise.resolve(null);
  }

  async remove(id: string): Promise<void> {
    await this.videos.delete({ id });
  }
}
