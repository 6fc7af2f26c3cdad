using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Monitor.Api;

/// <summary>
/// The officers' console's files (docs/console.md), built into this assembly: one page, its script modules and its
/// stylesheet, nothing fetched from elsewhere, so the console works on a bank's network without internet. They hold
/// no data and need no key; every answer with data comes from the API, with the key. Each is served with a content
/// security policy that lets the page run only its own scripts and talk only to its own origin.
/// </summary>
internal static class ConsoleAssets
{
    private const string Prefix = "console/";

    /// <summary>
    /// What the page may load and where it may connect: only this origin; no inline script, no plugins, no framing
    /// (a page that shows personal data must not be put inside another site's).
    /// </summary>
    public const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Body, string Type)> Files = Load();

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..]] = (copy.ToArray(), TypeOf(name));
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    /// <summary>The file named <paramref name="name"/> (e.g. <c>index.html</c>, <c>pages/queue.js</c>), or a 404.</summary>
    public static IResult Serve(HttpContext h, string name)
    {
        if (!Files.TryGetValue(name, out var file)) return Results.NotFound();
        h.Response.Headers.ContentSecurityPolicy = Policy;
        h.Response.Headers.XFrameOptions = "DENY";
        h.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Bytes(file.Body, file.Type);
    }
}
