package org.dure.store;

import java.sql.SQLException;
import org.dure.store.doc.Schema;

/**
 * The store's database schema: every table of every feature in one SQLite file, at version {@value
 * #VERSION}, and the steps that bring a database written by an older Dure up to it. A table is
 * described where a feature uses it; here it is created.
 */
final class StoreSchema implements Schema {
  /** The schema's version ({@code PRAGMA user_version}). */
  static final int VERSION = 9;

  static final StoreSchema SCHEMA = new StoreSchema();

  private StoreSchema() {}

  @Override
  public int version() {
    return VERSION;
  }

  @Override
  public void migrate(int from, Migrations migrations) throws SQLException {
    if (from < 1) {
      migrations.step(
          s -> {
            s.execute(
                """
            CREATE TABLE documents(
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              space_id TEXT NOT NULL,
              snapshot BLOB,
              snapshot_sha BLOB,
              snapshot_seq INTEGER NOT NULL DEFAULT 0,
              last_seq INTEGER NOT NULL DEFAULT 0,
              change_bytes INTEGER NOT NULL DEFAULT 0,
              damaged TEXT)""");
            // One row per commit. data is the encoded change(s) until a snapshot includes them.
            s.execute(
                """
            CREATE TABLE changes(
              doc_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              data BLOB,
              sha BLOB,
              heads BLOB NOT NULL,
              author BLOB,
              time INTEGER NOT NULL,
              message TEXT,
              PRIMARY KEY(doc_id, seq)) WITHOUT ROWID""");
            s.execute(
                """
            CREATE TABLE spaces(
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              created INTEGER NOT NULL)""");
            s.execute(
                """
            CREATE TABLE pages(
              num INTEGER PRIMARY KEY,
              id TEXT NOT NULL UNIQUE,
              space_id TEXT NOT NULL,
              title TEXT NOT NULL,
              title_key TEXT NOT NULL,
              created INTEGER NOT NULL,
              updated INTEGER NOT NULL,
              indexed_seq INTEGER NOT NULL DEFAULT -1)""");
            s.execute("CREATE INDEX pages_by_updated ON pages(space_id, updated DESC)");
            s.execute("CREATE INDEX pages_by_title ON pages(space_id, title_key)");
            s.execute(
                """
            CREATE TABLE links(
              from_page TEXT NOT NULL,
              space_id TEXT NOT NULL,
              to_key TEXT NOT NULL,
              PRIMARY KEY(from_page, to_key)) WITHOUT ROWID""");
            s.execute("CREATE INDEX links_by_target ON links(space_id, to_key)");
            // Rows keyed by pages.num. Trigram tokens make any substring of 3+ characters findable,
            // which works for Korean and other languages without word spacing rules.
            s.execute("CREATE VIRTUAL TABLE page_fts USING fts5(title, body, tokenize='trigram')");
            s.execute("PRAGMA user_version=1");
          });
    }
    if (from < 2) {
      migrations.step(
          s -> {
            // Spaces created here (1) or received from a peer (0): only a local space's membership
            // document may be created here, by its owner.
            s.execute("ALTER TABLE spaces ADD COLUMN local INTEGER NOT NULL DEFAULT 1");
            // Automerge sync state per (peer, document), so a reconnect exchanges only what
            // changed.
            s.execute(
                """
            CREATE TABLE sync_states(
              peer TEXT NOT NULL,
              doc_id TEXT NOT NULL,
              state BLOB NOT NULL,
              PRIMARY KEY(peer, doc_id)) WITHOUT ROWID""");
            // Inputs from peers that were in flight when the process died, or failed validation.
            s.execute(
                """
            CREATE TABLE quarantined_inputs(
              sha BLOB PRIMARY KEY,
              peer TEXT NOT NULL,
              doc_id TEXT,
              what TEXT NOT NULL,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            s.execute(
                """
            CREATE TABLE blocked_peers(
              peer TEXT PRIMARY KEY,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            // Invites this node made: the secret's hash, single use, with an expiry.
            s.execute(
                """
            CREATE TABLE invites(
              secret_sha BLOB PRIMARY KEY,
              space_id TEXT NOT NULL,
              role TEXT NOT NULL,
              created INTEGER NOT NULL,
              expires INTEGER NOT NULL,
              used_by TEXT,
              used_at INTEGER) WITHOUT ROWID""");
            // Spaces this node asked to join (by accepting an invite), and from whom.
            s.execute(
                """
            CREATE TABLE joined_spaces(
              space_id TEXT NOT NULL,
              peer TEXT NOT NULL,
              time INTEGER NOT NULL,
              PRIMARY KEY(space_id, peer)) WITHOUT ROWID""");
            // Pairs of adjacent Korean/Chinese/Japanese characters (two-syllable words), keyed like
            // page_fts; filled by re-indexing every page.
            s.execute("CREATE VIRTUAL TABLE page_pairs USING fts5(grams, tokenize='unicode61')");
            // How many pages each trigram occurs in: tells a word in most pages from a rare one.
            s.execute("CREATE VIRTUAL TABLE page_fts_vocab USING fts5vocab(page_fts, row)");
            s.execute("UPDATE pages SET indexed_seq = -1");
            s.execute("PRAGMA user_version=2");
          });
    }
    if (from < 4) {
      migrations.step(
          s -> {
            // Activity feed: who a change from a peer claims to be by (its actor id's first 32
            // bytes,
            // unverified), per version; versions by time.
            s.execute(
                """
            CREATE TABLE change_claims(
              doc_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              claimed_author BLOB NOT NULL,
              PRIMARY KEY(doc_id, seq, claimed_author)) WITHOUT ROWID""");
            s.execute("CREATE INDEX changes_by_time ON changes(time)");
            // @mentions of this node in text someone else added to a page.
            s.execute(
                """
            CREATE TABLE notifications(
              id INTEGER PRIMARY KEY,
              time INTEGER NOT NULL,
              page_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              author BLOB,
              claimed INTEGER NOT NULL,
              snippet TEXT NOT NULL,
              read INTEGER NOT NULL DEFAULT 0)""");
            s.execute("CREATE INDEX notifications_unread ON notifications(read, id)");
            // The last version of each page scanned for mentions.
            s.execute(
                """
            CREATE TABLE mention_scans(
              page_id TEXT PRIMARY KEY,
              seq INTEGER NOT NULL) WITHOUT ROWID""");
            // Mentions already on the pages before this version are not news.
            s.execute(
                "INSERT INTO mention_scans(page_id, seq) SELECT id, last_seq FROM documents"
                    + " WHERE kind = 'page'");
            // Friends: local contacts, never synced.
            s.execute(
                """
            CREATE TABLE friends(
              peer TEXT PRIMARY KEY,
              petname TEXT NOT NULL,
              added INTEGER NOT NULL,
              last_seen INTEGER) WITHOUT ROWID""");
            s.execute("PRAGMA user_version=4");
          });
    }
    if (from < 5) {
      migrations.step(
          s -> {
            // Peers whose content this user does not want to see (local only, never sent).
            s.execute(
                """
            CREATE TABLE muted_peers(
              peer TEXT PRIMARY KEY,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            // Pages hidden space-wide, as their space index says (rewritten whenever it changes),
            // so
            // page lists, links and search can leave them out.
            s.execute(
                """
            CREATE TABLE hidden_pages(
              page_id TEXT PRIMARY KEY,
              space_id TEXT NOT NULL) WITHOUT ROWID""");
            s.execute("CREATE INDEX hidden_pages_space ON hidden_pages(space_id)");
            s.execute("PRAGMA user_version=5");
          });
    }
    if (from < 6) {
      migrations.step(
          s -> {
            // Bytes exchanged with each peer and connections opened, totalled across restarts.
            s.execute(
                """
            CREATE TABLE peer_usage(
              peer TEXT PRIMARY KEY,
              bytes_in INTEGER NOT NULL DEFAULT 0,
              bytes_out INTEGER NOT NULL DEFAULT 0,
              connections INTEGER NOT NULL DEFAULT 0,
              first_seen INTEGER NOT NULL,
              last_seen INTEGER NOT NULL) WITHOUT ROWID""");
            // The user's limits, caps and consent (key = value, validated by the moderation
            // module).
            s.execute(
                "CREATE TABLE resource_settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
            s.execute("PRAGMA user_version=6");
          });
    }
    if (from < 7) {
      migrations.step(
          s -> {
            // Signed authorship: per document and actor, the newest attestation held (it covers
            // every earlier change of that actor; see Attestations).
            s.execute(
                """
            CREATE TABLE attestations(
              doc_id TEXT NOT NULL,
              actor BLOB NOT NULL,
              seq INTEGER NOT NULL,
              hash BLOB NOT NULL,
              time INTEGER NOT NULL,
              message TEXT NOT NULL,
              signature BLOB NOT NULL,
              PRIMARY KEY(doc_id, actor)) WITHOUT ROWID""");
            // Whether a version's author from a peer was verified by its attestation.
            s.execute("ALTER TABLE change_claims ADD COLUMN verified INTEGER NOT NULL DEFAULT 0");
            s.execute("PRAGMA user_version=7");
          });
    }
    if (from < 8) {
      migrations.step(
          s -> {
            // Changes that crashed native code, refused by hash in whatever input carries them
            // (see Quarantine); actor and seq find them in snapshots, which list no change hashes.
            s.execute(
                """
            CREATE TABLE quarantined_changes(
              hash BLOB PRIMARY KEY,
              actor BLOB NOT NULL,
              seq INTEGER NOT NULL,
              peer TEXT NOT NULL,
              doc_id TEXT NOT NULL,
              reason TEXT NOT NULL,
              time INTEGER NOT NULL) WITHOUT ROWID""");
            s.execute("PRAGMA user_version=8");
          });
    }
    if (from < 9) {
      migrations.step(
          s -> {
            // A page in its space's trash, as its document's deleted map says (who, when it says),
            // and when this node first saw it deleted (what the 30 days before a purge count from).
            s.execute("ALTER TABLE pages ADD COLUMN deleted_by TEXT");
            s.execute("ALTER TABLE pages ADD COLUMN deleted_time INTEGER");
            s.execute("ALTER TABLE pages ADD COLUMN deleted_seen INTEGER");
            // Purged here: gone from the trash too, its document never loaded or offered again.
            s.execute("ALTER TABLE pages ADD COLUMN purged INTEGER NOT NULL DEFAULT 0");
            s.execute(
                "CREATE INDEX pages_in_trash ON pages(space_id, deleted_seen)"
                    + " WHERE deleted_seen IS NOT NULL");
            // A page's former titles (its formerTitles map), through which links to them resolve.
            s.execute(
                """
            CREATE TABLE page_aliases(
              page_id TEXT NOT NULL,
              space_id TEXT NOT NULL,
              title_key TEXT NOT NULL,
              PRIMARY KEY(page_id, title_key)) WITHOUT ROWID""");
            s.execute("CREATE INDEX page_aliases_by_key ON page_aliases(space_id, title_key)");
            s.execute("PRAGMA user_version=9");
          });
    }
  }
}
