using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// The directory's names beside the ids (docs/api.md, "Names"): every answer that shows officers an alert, a case, a
/// suspension, a valve-stopped branch or a sheet looks its ids up in the store (<c>monitor import-names</c>) once per
/// answer, so an import on one node names them on every node at once. An id without a name is answered as before.
/// </summary>
public sealed partial class OfficerApi
{
    /// <summary>The names of these alerts' branches, users and employees, and of the further ids given.</summary>
    private Task<NameBook> NamesOf(IEnumerable<StoredAlert> alerts, IEnumerable<string?>? branches = null, IEnumerable<string?>? users = null)
    {
        var list = alerts as IReadOnlyCollection<StoredAlert> ?? [.. alerts];
        return _deps.Store.NamesAsync(
            list.Select(a => a.Alert.BranchId).Concat(branches ?? []),
            list.Select(a => a.Alert.UserId).Concat(users ?? []),
            list.Where(a => a.Alert.EntityType == "employee").Select(a => (string?)a.Alert.EntityId));
    }

    private async Task<List<StoredAlert>> Named(IReadOnlyCollection<StoredAlert> alerts)
    {
        var names = await NamesOf(alerts);
        return [.. alerts.Select(a => a.Named(names))];
    }

    private async Task<StoredAlert> Named(StoredAlert alert) => (await Named([alert]))[0];

    /// <summary>Those of <paramref name="ids"/> that <paramref name="lookup"/> names, as an id → name map.</summary>
    private static Dictionary<string, string> NamedOnly(IEnumerable<string?> ids, Func<string?, string?> lookup) =>
        ids.OfType<string>().Distinct(StringComparer.Ordinal).Select(id => (id, name: lookup(id))).Where(x => x.name is not null)
            .ToDictionary(x => x.id, x => x.name!, StringComparer.Ordinal);
}
