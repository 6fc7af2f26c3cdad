using System.CommandLine;
using Monitor.Api;

namespace Monitor.Cli.Commands;

/// <summary><c>monitor api-key</c>: makes a key for one person and the settings entry that holds only its hash.</summary>
internal static class ApiKeyCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "who gets the key (shown in the audit log)", Required = true };
        var role = new Option<string>("--role") { Description = "officer | analyst | auditor", Required = true };
        role.AcceptOnlyFromAmong("officer", "analyst", "auditor");
        var branch = new Option<string?>("--branch") { Description = "a branch officer's branch: the key sees and signs the daily sheets of that branch and the branches below it only (default: head office, every branch)" };
        var cmd = new Command("api-key", "make an API key: give the key to the person, put the printed entry into api.keys in the settings") { name, role, branch };
        cmd.SetAction(p =>
        {
            var key = ApiKeys.NewKey();
            Console.WriteLine($"key (give it to {p.GetValue(name)}; it is not stored anywhere): {key}");
            var scope = p.GetValue(branch) is { Length: > 0 } b ? $", \"branch\": {System.Text.Json.JsonSerializer.Serialize(b)}" : "";
            Console.WriteLine($$"""settings entry for api.keys: { "name": "{{p.GetValue(name)}}", "role": "{{p.GetValue(role)}}", "sha256": "{{ApiKeys.Hash(key)}}"{{scope}} }""");
            return 0;
        });
        return cmd;
    }
}
