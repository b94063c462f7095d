using System.Globalization;
using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Analytics.Reference;

/// <summary>
/// The definitions of docs/analytics.md written as plainly as possible (nested loops over raw events, no shared
/// code with the engines) so that property tests can hold the engines to them.
/// </summary>
public static class Ref
{
    public static bool Matches(EventFilter f, AnalyticsEvent e)
    {
        if (f.Event != "*" && f.Event != e.Name) return false;
        foreach (var (k, v) in f.Where)
        {
            if (!e.Properties.TryGetValue(k, out var actual)) return false;
            if (actual != v) return false;
        }
        return true;
    }

    public static bool InRange(TimeRange r, long ts) => ts >= r.From.ToUnixTimeMilliseconds() && ts < r.To.ToUnixTimeMilliseconds();

    public static long Ms(TimeSpan t) => (long)t.TotalMilliseconds;

    /// <summary>Person key by repeated relabelling: every id takes the smallest label of any id it is linked to, until nothing changes.</summary>
    public static Dictionary<string, string> People(IReadOnlyList<IdentityLink> links)
    {
        var label = new Dictionary<string, string>();
        foreach (var l in links) { label[l.FromId] = l.FromId; label[l.ToUserId] = l.ToUserId; }
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var l in links)
            {
                var min = string.CompareOrdinal(label[l.FromId], label[l.ToUserId]) <= 0 ? label[l.FromId] : label[l.ToUserId];
                if (label[l.FromId] != min) { label[l.FromId] = min; changed = true; }
                if (label[l.ToUserId] != min) { label[l.ToUserId] = min; changed = true; }
            }
        }
        var person = new Dictionary<string, string>();
        foreach (var id in label.Keys)
        {
            string? best = null;
            foreach (var l in links)
            {
                if (label[l.ToUserId] == label[id] && (best is null || string.CompareOrdinal(l.ToUserId, best) < 0)) best = l.ToUserId;
            }
            person[id] = best!;
        }
        return person;
    }

    public static string? Actor(AnalyticsEvent e, CountingUnit unit, Dictionary<string, string> people)
    {
        switch (unit)
        {
            case CountingUnit.Session: return e.SessionId;
            case CountingUnit.Anonymous: return e.AnonymousId ?? e.UserId;
            case CountingUnit.User:
                if (e.UserId is not null) return people.TryGetValue(e.UserId, out var p) ? p : e.UserId;
                if (e.AnonymousId is not null) return people.TryGetValue(e.AnonymousId, out var q) ? q : e.AnonymousId;
                return null;
            default: throw new ArgumentException("no actor");
        }
    }

    /// <summary>The user of an authenticated actor: the user id's person, or the person a link ties the anonymous id to; null for a never-identified visitor.</summary>
    public static string? IdentifiedUser(AnalyticsEvent e, Dictionary<string, string> people)
    {
        if (e.UserId is not null) return people.TryGetValue(e.UserId, out var p) ? p : e.UserId;
        if (e.AnonymousId is not null && people.TryGetValue(e.AnonymousId, out var q)) return q;
        return null;
    }

    public static Dictionary<string, List<AnalyticsEvent>> ByActor(IEnumerable<AnalyticsEvent> events, CountingUnit unit, Dictionary<string, string> people)
    {
        var result = new Dictionary<string, List<AnalyticsEvent>>();
        foreach (var e in events)
        {
            var a = Actor(e, unit, people);
            if (a is null) continue;
            if (!result.ContainsKey(a)) result[a] = [];
            result[a].Add(e);
        }
        return result;
    }

    /// <summary>
    /// Every chain e1..ek (repeats allowed) with e_j matching step j, timestamps non-decreasing, e1 in the range and
    /// ek − e1 ≤ window; each as its timestamps.
    /// </summary>
    public static List<long[]> Chains(List<AnalyticsEvent> events, IReadOnlyList<EventFilter> steps, TimeRange range, long window)
    {
        var result = new List<long[]>();
        var chain = new long[steps.Count];
        void Extend(int j)
        {
            if (j == steps.Count) { result.Add((long[])chain.Clone()); return; }
            foreach (var e in events)
            {
                if (!Matches(steps[j], e)) continue;
                if (j == 0 && !InRange(range, e.TimestampMs)) continue;
                if (j > 0 && (e.TimestampMs < chain[j - 1] || e.TimestampMs - chain[0] > window)) continue;
                chain[j] = e.TimestampMs;
                Extend(j + 1);
            }
        }
        Extend(0);
        return result;
    }

    public static bool HasChain(List<AnalyticsEvent> events, IReadOnlyList<EventFilter> steps, TimeRange range, long window) =>
        Chains(events, steps, range, window).Count > 0;

    public static string Day(long ts) => DateTimeOffset.FromUnixTimeMilliseconds(ts).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The first day of the period holding the instant, as a date.</summary>
    public static DateTime PeriodStart(long ts, string period)
    {
        var d = DateTimeOffset.FromUnixTimeMilliseconds(ts).UtcDateTime.Date;
        return period switch
        {
            "day" => d,
            "week" => d.AddDays(-(((int)d.DayOfWeek + 6) % 7)),
            "month" => new DateTime(d.Year, d.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => throw new ArgumentException(period),
        };
    }

    /// <summary>Labels of every period from the one holding From to the one holding the last instant before To.</summary>
    public static List<string> Periods(TimeRange range, string period)
    {
        var result = new List<string>();
        if (range.To <= range.From) return result;
        var last = PeriodStart(range.To.ToUnixTimeMilliseconds() - 1, period);
        for (var p = PeriodStart(range.From.ToUnixTimeMilliseconds(), period); p <= last;
             p = period == "day" ? p.AddDays(1) : period == "week" ? p.AddDays(7) : p.AddMonths(1))
        {
            result.Add(p.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return result;
    }

    public static string PeriodLabel(long ts, string period) => PeriodStart(ts, period).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        var s = values.OrderBy(v => v).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    public static double? Number(string? s) =>
        s is not null && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    public static double? Div(long n, long d) => d == 0 ? null : (double)n / d;
}
