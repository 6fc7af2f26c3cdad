using Monitor.Api;
using Monitor.Contracts;
using Monitor.Ingest;
using Spectre.Console;

namespace Monitor.Cli.Commands;

/// <summary>
/// The demo's API keys: when the settings name none, one key per role is made for this run only and printed,
/// so the API can be tried at once. Production keys come from <c>./monitor api-key</c> into the settings.
/// </summary>
internal static class DemoKeys
{
    public static IReadOnlyList<(string Role, string Key)> Install(SettingsInForce settings)
    {
        if (settings.Settings.Api.Keys.Count > 0) return [];
        var made = new[] { "officer", "analyst", "auditor" }.Select(role => (Role: role, Key: ApiKeys.NewKey())).ToList();
        var keys = made.Select(m => new ApiKey { Name = $"demo-{m.Role}", Role = m.Role, Sha256 = ApiKeys.Hash(m.Key) }).ToList();
        settings.Replace(settings.Settings with { Api = settings.Settings.Api with { Keys = keys } });
        return made;
    }

    public static void Print(IReadOnlyList<(string Role, string Key)> keys, Uri address)
    {
        if (keys.Count == 0) return;
        AnsiConsole.MarkupLine($"[grey]demo API keys for this run (export one, then e.g. curl -H \"Authorization: Bearer $KEY\" {address}api/alerts):[/]");
        foreach (var (role, key) in keys) AnsiConsole.MarkupLine($"[grey]  {role,-8} {key}[/]");
    }
}
