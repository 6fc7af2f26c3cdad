using System.Security.Cryptography;
using System.Text;
using Monitor.Contracts;

namespace Monitor.Api;

/// <summary>
/// API keys: random, high-entropy strings given to one person each; the settings keep only their SHA-256, so a
/// leaked settings file lets nobody in. A presented key is compared with every entry in constant time.
/// </summary>
public static class ApiKeys
{
    public const string Officer = "officer";
    public const string Analyst = "analyst";
    public const string Auditor = "auditor";

    public static string NewKey() => "mk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The entry the key belongs to, or null.</summary>
    public static ApiKey? Find(IReadOnlyList<ApiKey> keys, string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKey? found = null;
        foreach (var k in keys)
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(k.Sha256))) found = k;
        return found;
    }
}
