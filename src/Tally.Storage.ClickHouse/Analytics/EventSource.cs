using Tally.Core.Plans;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// The events one analytics query reads, one row each, as a subquery: the expressions the query needs from each row
/// (timestamp <c>t</c>, occurrences <c>c</c>, filter matches, property values) and the row's <c>actor</c> for the unit,
/// '' when it has none. Rows come from one environment and the time span and names the query's rules can reach, which
/// the <c>(name, ts)</c> sort key narrows down.
/// </summary>
/// <remarks>
/// The actor follows <c>IdentityGraph.ActorKey</c>: the session id; the anonymous id, else the user id; or for the user
/// unit the person of the user id, else of the anonymous id, looked up in <see cref="IdentityMap"/>'s table with a
/// LEFT JOIN (an id no link mentions is its own person).
/// </remarks>
internal sealed class EventSource
{
    private readonly string _environment;
    private readonly CountingUnit _unit;
    private readonly List<string> _where = [];
    private bool _withRollups;

    public EventSource(string environment, CountingUnit unit)
    {
        _environment = environment;
        _unit = unit;
        Properties = new PropertySql(Stages);
    }

    /// <summary>The levels of row-wise expressions; property reading uses the lower ones.</summary>
    public StagedSelect Stages { get; } = new();

    /// <summary>
    /// Expressions over one stored event: <c>t</c> (its timestamp), <c>c</c> (its count), <c>name</c>, and the
    /// properties' values (<see cref="Properties"/>).
    /// </summary>
    public SelectList Select => Stages[StagedSelect.Top];

    public PropertySql Properties { get; }

    /// <summary>Does the query need <see cref="IdentityMap"/>'s table?</summary>
    public bool NeedsIdentities => _unit == CountingUnit.User;

    /// <summary>Keeps only the events for which <paramref name="condition"/> (over columns of <c>events</c>) holds.</summary>
    public EventSource Where(string? condition)
    {
        if (condition is not null)
        {
            _where.Add(condition);
        }

        return this;
    }

    /// <summary>
    /// Reads aggregate-only events too: one row per roll-up day, name and dimensions (summed over sources and unmerged
    /// parts) at the start of its UTC day, without actor, the dimensions as its properties, as Core's
    /// <c>RollupEvents</c> has them. The conditions apply to these rows as to raw events.
    /// </summary>
    public EventSource WithRollups()
    {
        _withRollups = true;
        return this;
    }

    /// <summary>Events with <paramref name="from"/> ≤ ts ≤ <paramref name="toInclusive"/>.</summary>
    public EventSource Between(long from, long toInclusive) =>
        Where($"ts >= {SqlLiteral.Int64(from)} AND ts <= {SqlLiteral.Int64(toInclusive)}");

    /// <summary>Events in the half-open range [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public EventSource InRange(long from, long to) =>
        Where($"ts >= {SqlLiteral.Int64(from)} AND ts < {SqlLiteral.Int64(to)}");

    public string Matches(EventFilter filter) => FilterSql.Matches(filter, Properties);

    /// <summary>Where a query reads the rows: <see cref="Render"/> puts the subquery there.</summary>
    public const string Rows = "__event_rows__";

    /// <summary>
    /// <paramref name="query"/> with the rows subquery in place of each <see cref="Rows"/>, computing only the columns
    /// the query refers to.
    /// </summary>
    public string Render(string query)
    {
        var actorInput = _unit switch
        {
            CountingUnit.Session => "session_id",
            CountingUnit.Anonymous => "if(anonymous_id != '', anonymous_id, user_id)",
            CountingUnit.User => "if(user_id != '', user_id, anonymous_id)",
            _ => "''",
        };
        var environment = $"environment = {SqlLiteral.String(_environment)}";
        var conditions = _where.Prepend(environment);
        var consumer = query.Replace(Rows, "", StringComparison.Ordinal) + " actor_in has_user";
        var from = $"events\nWHERE {string.Join(" AND ", conditions)}";
        if (_withRollups)
        {
            // The conditions (on ts and name) read the aliases, so the roll-up's (day, name) sort key prunes the rows.
            var rollups = $"""
                SELECT toInt64(toUInt32(day)) * 86400000 AS ts, sum(count) AS count, name, dimensions AS properties
                FROM rollups_daily
                WHERE {string.Join(" AND ", _where.Prepend("dimensions != ''").Prepend(environment))}
                GROUP BY day, name, dimensions
                """;
            from = $"""
                (
                SELECT ts, count, name, session_id, anonymous_id, user_id, properties FROM {from}
                UNION ALL
                SELECT ts, count, name, '' AS session_id, '' AS anonymous_id, '' AS user_id, properties FROM (
                {rollups}
                )
                )
                """;
        }

        if (_unit != CountingUnit.User)
        {
            return query.Replace(Rows, Stages.Sql([("ts", "t"), ("count", "c"), ("name", "name"), (actorInput, "actor")], from, consumer), StringComparison.Ordinal);
        }

        var rows = Stages.Sql([("ts", "t"), ("count", "c"), ("name", "name"), (actorInput, "actor_in"), ("user_id != ''", "has_user")], from, consumer);
        // identified: the actor is a user (a user id, or an anonymous id some link ties to a user), not a mere visitor.
        var withActor = $"""
            SELECT *, if(actor_to != '', actor_to, actor_in) AS actor, (has_user OR actor_to != '') AS identified
            FROM (
            {rows}
            )
            ANY LEFT JOIN (SELECT from_id AS actor_in, user AS actor_to FROM {IdentityMap.TableName}) USING actor_in
            """;
        return query.Replace(Rows, withActor, StringComparison.Ordinal);
    }
}
