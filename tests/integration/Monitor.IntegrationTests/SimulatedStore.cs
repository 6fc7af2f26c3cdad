using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// A simulated bank replayed into an alert store as a user does it (<c>./monitor simulate</c>, then
/// <c>./monitor replay --store</c>): the daily-verification tests start from its closed days.
/// </summary>
internal static class SimulatedStore
{
    /// <summary>
    /// Simulates <paramref name="days"/> days (with the register and HR feeds when <paramref name="feeds"/>) into <paramref name="dir"/> and replays them
    /// into <c>monitor.db</c> there (under the settings file <paramref name="settings"/> when given); with <paramref name="names"/>, the bank's
    /// directory of names too (<c>simulate --names</c>, then <c>import-names</c> into the store); returns the events file, the alerts file and the store.
    /// </summary>
    public static async Task<(string Events, string Alerts, string Store)> ReplayAsync(DirectoryInfo dir, int days, int seed, string incidents, bool feeds = false, string? settings = null,
        bool names = false)
    {
        var events = Path.Combine(dir.FullName, "events.jsonl");
        var alerts = Path.Combine(dir.FullName, "alerts.jsonl");
        var store = Path.Combine(dir.FullName, "monitor.db");
        string[] simulate = ["simulate", "--output", events, "--labels", Path.Combine(dir.FullName, "labels.jsonl"), "--days", $"{days}", "--seed", $"{seed}", "--incidents", incidents];
        var namesFile = Path.Combine(dir.FullName, "names.csv");
        if (feeds) simulate = [.. simulate, "--feeds"];
        var (code, err) = await Cli.Run(names ? [.. simulate, "--names", namesFile] : simulate);
        Assert.True(code == 0, err);
        if (names)
        {
            (code, err) = await Cli.Run("import-names", namesFile, "--store", store);
            Assert.True(code == 0, err);
        }
        string[] replay = ["replay", "--input", events, "--output", alerts, "--store", store];
        (code, err) = await Cli.Run(settings is null ? replay : [.. replay, "--settings", settings]);
        Assert.True(code == 0, err);
        return (events, alerts, store);
    }
}
