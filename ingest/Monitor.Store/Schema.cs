namespace Monitor.Store;

/// <summary>
/// The store's tables. Times are UTC text in one fixed format, so they sort and compare as text on both
/// databases; each alert and command also keeps its whole JSON, which is what the API returns. The audit log's
/// rows are chained by hash (<see cref="AuditChain"/>); <c>audit_head</c> holds the last row's sequence number
/// and hash, the row appenders lock, and what tells a deleted last row. The append-only triggers are created
/// after the migration of an unchained log (<see cref="AlertStore.OpenAsync"/>).
/// </summary>
internal static class Schema
{
    public static IEnumerable<string> Statements(StoreDialect d) =>
    [
        """
        CREATE TABLE IF NOT EXISTS alerts (
            alert_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, rule TEXT NOT NULL, entity_type TEXT NOT NULL,
            entity_id TEXT NOT NULL, user_id TEXT NULL, branch_id TEXT NULL, severity TEXT NOT NULL, score INTEGER NOT NULL,
            day TEXT NOT NULL, event_time TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
            state_by TEXT NULL, state_at TEXT NULL, state_reason TEXT NULL, recorded_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (event_time)",
        "CREATE INDEX IF NOT EXISTS alerts_by_user ON alerts (user_id, event_time)",
        "CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state, event_time)",
        "CREATE INDEX IF NOT EXISTS alerts_by_entity ON alerts (entity_type, entity_id, event_time)",
        """
        CREATE TABLE IF NOT EXISTS commands (
            command_id TEXT PRIMARY KEY, action TEXT NOT NULL, user_id TEXT NOT NULL, branch_id TEXT NOT NULL,
            issued_at TEXT NOT NULL, recorded_at TEXT NOT NULL, origin TEXT NOT NULL, sent INTEGER NOT NULL, body TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS commands_by_user ON commands (user_id, issued_at)",
        """
        CREATE TABLE IF NOT EXISTS suspensions (
            user_id TEXT PRIMARY KEY, branch_id TEXT NOT NULL, command_id TEXT NOT NULL, since TEXT NOT NULL,
            reason TEXT NOT NULL, active INTEGER NOT NULL, ended_at TEXT NULL, ended_by TEXT NULL, ended_reason TEXT NULL,
            reinstate_command_id TEXT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS labels (
            alert_id TEXT PRIMARY KEY, rule TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
            label TEXT NOT NULL, reason TEXT NULL, labelled_by TEXT NOT NULL, labelled_at TEXT NOT NULL)
        """,
        "CREATE TABLE IF NOT EXISTS valve (branch_id TEXT PRIMARY KEY, shut_at TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS user_days (
            branch_id TEXT NOT NULL, day TEXT NOT NULL, user_id TEXT NOT NULL, body TEXT NOT NULL, recorded_at TEXT NOT NULL,
            PRIMARY KEY (branch_id, day, user_id))
        """,
        "CREATE TABLE IF NOT EXISTS branches (branch_id TEXT PRIMARY KEY, parent_id TEXT NULL)",
        """
        CREATE TABLE IF NOT EXISTS sheets (
            branch_id TEXT NOT NULL, day TEXT NOT NULL, signed_by TEXT NULL, signed_at TEXT NULL, note TEXT NULL,
            escalation INTEGER NOT NULL, escalated_at TEXT NULL, PRIMARY KEY (branch_id, day))
        """,
        """
        CREATE TABLE IF NOT EXISTS sheet_verdicts (
            branch_id TEXT NOT NULL, day TEXT NOT NULL, item_id TEXT NOT NULL, verdict TEXT NOT NULL, reason TEXT NOT NULL,
            given_by TEXT NOT NULL, given_at TEXT NOT NULL, PRIMARY KEY (branch_id, day, item_id))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS sheet_corrections (
            seq {d.IdentityColumn}, branch_id TEXT NOT NULL, day TEXT NOT NULL, item_id TEXT NOT NULL, verdict TEXT NOT NULL,
            reason TEXT NOT NULL, given_by TEXT NOT NULL, given_at TEXT NOT NULL)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS suppressions (
            id {d.IdentityColumn}, rule TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, reason TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL, until_at TEXT NOT NULL,
            ended_by TEXT NULL, ended_at TEXT NULL, ended_reason TEXT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS suppressions_by_entity ON suppressions (rule, entity_type, entity_id)",
        $"""
        CREATE TABLE IF NOT EXISTS audit (
            seq {d.IdentityColumn}, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,
            target TEXT NOT NULL, reason TEXT NULL, detail TEXT NULL, prev TEXT NULL, hash TEXT NULL)
        """,
        "CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
        // The officers' casework (the console): notes on alerts, never edited, and who works each alert now.
        "CREATE TABLE IF NOT EXISTS alert_notes (id BIGINT PRIMARY KEY, alert_id TEXT NOT NULL, text TEXT NOT NULL, noted_by TEXT NOT NULL, noted_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS alert_notes_by_alert ON alert_notes (alert_id)",
        "CREATE TABLE IF NOT EXISTS alert_assignments (alert_id TEXT PRIMARY KEY, officer TEXT NOT NULL, assigned_by TEXT NOT NULL, assigned_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS alerts_by_day ON alerts (day, branch_id)",
        "CREATE TABLE IF NOT EXISTS notices (notice_key TEXT PRIMARY KEY, claimed_at TEXT NOT NULL)",
        // The bank's directory of names (monitor import-names): shown beside the ids, never used by a rule.
        "CREATE TABLE IF NOT EXISTS names (kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (kind, id))",
    ];

    /// <summary>The head of an empty audit log, written once, when the log has no rows (a fresh store).</summary>
    public static string InitialHead =>
        $"INSERT INTO audit_head (id, seq, hash) SELECT 1, 0, '{AuditChain.Genesis}' WHERE NOT EXISTS (SELECT 1 FROM audit) ON CONFLICT (id) DO NOTHING";
}
