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

    /// <summary>
    /// The keys, one a line, a curl line to try one with, and the officers' console (docs/console.md) to open in a
    /// browser and sign in to with the officer's key: printed before the live view and again at the end, where the live
    /// view cannot push them off the screen. Every line fits 80 columns (with the usual address).
    /// </summary>
    public static void Print(IReadOnlyList<(string Role, string Key)> keys, Uri address)
    {
        if (keys.Count == 0) return;
        AnsiConsole.MarkupLine("[grey]demo API keys for this run (set KEY to one of them, then try the curl line):[/]");
        foreach (var (role, key) in keys) AnsiConsole.MarkupLine($"[grey]  {role,-8} {key}[/]");
        AnsiConsole.MarkupLine($"[grey]  curl -H \"Authorization: Bearer $KEY\" {Markup.Escape(address.ToString())}api/alerts[/]");
        AnsiConsole.MarkupLine($"[grey]  console  {Markup.Escape(address.ToString())}  (a browser; sign in with the officer key)[/]");
    }
}
