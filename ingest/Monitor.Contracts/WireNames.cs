namespace Monitor.Contracts;

/// <summary>
/// The snake_case names the contract uses on the wire, in one place, so that parsing rejects anything else
/// and writing never invents a spelling.
/// </summary>
public static class WireNames
{
    private static readonly Dictionary<Type, (string[] Names, Dictionary<string, int> Index)> Tables = new()
    {
        [typeof(EventType)] = Table("query", "login", "account", "register", "employee"),
        [typeof(UserRole)] = Table("query_operator", "window_query", "dispute_handler", "user_admin", "general_admin", "super_admin"),
        [typeof(Channel)] = Table("counter", "self_service_kiosk", "batch", "api"),
        [typeof(SubjectType)] = Table("individual", "enterprise"),
        [typeof(Purpose)] = Table("loan_approval", "credit_card_approval", "guarantor_review", "post_loan_management",
            "merchant_verification", "corporate_officer_review", "dispute_handling", "self_query", "legal_authority"),
        [typeof(Outcome)] = Table("success", "failed", "denied"),
        [typeof(AccountAction)] = Table("created", "disabled", "enabled", "suspended", "reinstated", "role_changed", "password_changed"),
        [typeof(StaffAction)] = Table("joined", "left", "transferred"),
    };

    private static (string[], Dictionary<string, int>) Table(params string[] names) =>
        (names, names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal));

    /// <summary>The wire name of an enum value.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Tables[typeof(T)].Names[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>Parses a wire name exactly (case-sensitive); false for anything the contract does not list.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (text is null || !Cache<T>.Index.TryGetValue(text, out var i)) return false;
        value = Cache<T>.Values[i];
        return true;
    }

    /// <summary>Per enum, the table and its values already cast: parsing runs for every field of every event.</summary>
    private static class Cache<T> where T : struct, Enum
    {
        public static readonly Dictionary<string, int> Index = Tables[typeof(T)].Index;
        public static readonly T[] Values = Enumerable.Range(0, Tables[typeof(T)].Names.Length).Select(i => (T)Enum.ToObject(typeof(T), i)).ToArray();
    }

    /// <summary>All wire names of an enum, for error messages and docs.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Tables[typeof(T)].Names;
}
