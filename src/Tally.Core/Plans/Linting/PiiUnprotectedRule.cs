namespace Tally.Core.Plans.Linting;

/// <summary>
/// A property whose name looks like personal data (email, phone, name, address, IP, user agent, free text) is
/// stored as sent. It needs a <c>pii:</c> policy other than allow, or <c>prehashed: true</c> / <c>sanitized: true</c>
/// when the emitter already made it safe. IP addresses need <c>ip</c>, <c>hash</c> or <c>drop</c>: a length or a day says nothing useful about an address.
/// </summary>
public sealed class PiiUnprotectedRule : ILintRule
{
    public string Code => "pii-unprotected";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var found = new List<Diagnostic>();
        Walk(found, plan.Properties, "", "", null);
        foreach (var e in plan.Events) Walk(found, e.Properties, "", $"event '{e.Name}': ", null);
        return found;
    }

    private void Walk(List<Diagnostic> found, IReadOnlyList<PropertyDefinition> properties, string path, string owner, string? parent)
    {
        foreach (var p in properties)
        {
            var full = path + p.Name;
            CheckOne(found, p, full, owner, parent);
            Walk(found, p.Properties, full + ".", owner, p.Name);
            if (p.Items is { } items) Walk(found, items.Properties, full + "[].", owner, p.Name);
        }
    }

    private void CheckOne(List<Diagnostic> found, PropertyDefinition p, string full, string owner, string? parent)
    {
        // Only text can carry an address or a name; an enum, number or flag named email_opt_in cannot.
        var holdsText = p.Type == PropertyType.String
                        || (p.Type == PropertyType.Array && (p.Items is null || p.Items.Type == PropertyType.String));
        // A bare "name" inside an object is whose name its object says: customer.name is a person's, vendor.name is not.
        var name = parent is not null && p.Name.Equals("name", StringComparison.OrdinalIgnoreCase) ? $"{parent}_name" : p.Name;
        if (!holdsText || PersonalDataNames.Classify(name) is not { } kind) return;
        if (p.Prehashed || p.Sanitized || (p.Items is { } i && (i.Prehashed || i.Sanitized))) return;
        var policy = p.Privacy != PrivacyPolicy.Allow ? p.Privacy : p.Items?.Privacy ?? PrivacyPolicy.Allow;
        var what = PersonalDataNames.Describe(kind);
        if (kind == PersonalDataKind.IpAddress)
        {
            if (policy is PrivacyPolicy.Ip or PrivacyPolicy.Hash or PrivacyPolicy.Drop) return;
            var now = policy == PrivacyPolicy.Allow ? "is stored as sent" : $"has 'pii: {policy.ToString().ToLowerInvariant()}', which does not protect an address";
            found.Add(Diagnostic.Error(Code, $"{owner}property '{full}' looks like {what} and {now}; set pii: ip, hash or drop", p.Location));
            return;
        }
        if (policy != PrivacyPolicy.Allow) return;
        found.Add(Diagnostic.Error(Code,
            $"{owner}property '{full}' looks like {what} and is stored as sent; set pii: hash, drop or length, or mark it prehashed: true or sanitized: true if the emitter already made it safe",
            p.Location));
    }
}
