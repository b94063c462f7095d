using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// <see cref="IdentityGraph.ActorKey"/> on id codes: the same actor for the same rows, as an int. Session and
/// anonymous units use the interned codes as they are (one code space, so an anonymous id equal to a user id is one
/// actor). The user unit maps each id code to its person once per query; a person key that is no interned id
/// gets a code after the interner's.
/// </summary>
internal sealed class ActorCodes
{
    private const int Unresolved = int.MinValue;

    private readonly CountingUnit _unit;
    private readonly IdInterner _ids;
    private readonly IdentityGraph _identities;
    private readonly int[]? _person;
    private readonly Dictionary<string, int> _extra = new(StringComparer.Ordinal);

    public ActorCodes(CountingUnit unit, IdInterner ids, IdentityGraph identities)
    {
        if (unit == CountingUnit.Event) throw new ArgumentException("counting each event on its own has no actor; use session, user or anonymous", nameof(unit));
        _unit = unit;
        _ids = ids;
        _identities = identities;
        if (unit == CountingUnit.User)
        {
            _person = new int[ids.Count];
            Array.Fill(_person, Unresolved);
        }
    }

    /// <summary>One more than the largest code <see cref="Of"/> has returned.</summary>
    public int Count => _ids.Count + _extra.Count;

    /// <summary>The actor of a row for the unit; -1 when it has none (the engines skip such events).</summary>
    public int Of(int session, int anonymous, int user) => _unit switch
    {
        CountingUnit.Session => session,
        CountingUnit.Anonymous => anonymous >= 0 ? anonymous : user,
        _ => user >= 0 ? Person(user) : anonymous >= 0 ? Person(anonymous) : -1,
    };

    private int Person(int code)
    {
        var p = _person![code];
        if (p != Unresolved) return p;
        p = code;
        if (_identities.Resolve(_ids.Id(code)!) is { } key && !string.Equals(key, _ids.Id(code), StringComparison.Ordinal))
        {
            p = _ids.Find(key);
            if (p < 0 && !_extra.TryGetValue(key, out p))
            {
                p = _ids.Count + _extra.Count;
                _extra[key] = p;
            }
        }
        return _person[code] = p;
    }
}
