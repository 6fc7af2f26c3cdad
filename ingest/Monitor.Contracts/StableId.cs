using System.Security.Cryptography;
using System.Text;

namespace Monitor.Contracts;

/// <summary>
/// Deterministic ids: the same inputs give the same id on every run, so a replay or a redelivery
/// republishes an alert or a command under the id it had before instead of creating a new one.
/// </summary>
public static class StableId
{
    public static string Of(string prefix, params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return prefix + "-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
