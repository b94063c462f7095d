using Tally.Core.Analytics;
using Tally.Core.Storage;

namespace Tally.Core.Tests.Analytics;

public class RollupDimensionsTests
{
    [Fact]
    public void Dimensions_are_one_canonical_text_however_the_properties_were_spelled()
    {
        var a = RollupDimensions.Of("""{"status_code":5e2,"endpoint":"/a","ok":true,"gone":null,"list":[1,2]}""");
        var b = RollupDimensions.Of("""{"ok":true,"endpoint":"/a","status_code":500}""");

        Assert.Equal("""{"endpoint":"/a","ok":"true","status_code":"500"}""", a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Nested_objects_become_dotted_keys_the_engines_read_back_as_the_raw_event_gave_them()
    {
        const string Json = """{"decision":{"department":"ops","level":2},"x":"y"}""";

        var dimensions = RollupDimensions.Of(Json);

        Assert.Equal(PropertyFlattener.Flatten(Json), PropertyFlattener.Flatten(dimensions));
    }

    [Fact]
    public void Roll_up_records_sum_one_environments_rows_per_day_name_and_dimensions_and_skip_raw_event_counts()
    {
        var day = new DateOnly(2026, 3, 2);
        RollupRow[] rows =
        [
            new(day, "signup", "production", "web", 3, """{"event_id":"E1"}"""),
            new(day, "signup", "production", "admin", 2, """{"event_id":"E1"}"""),
            new(day, "signup", "production", "web", 4, """{"event_id":"E2"}"""),
            new(day, "signup", "staging", "web", 9, """{"event_id":"E1"}"""),
            new(day, "page_viewed", "production", "web", 7),
        ];

        var events = RollupEvents.From(rows, "production");

        Assert.Equal([("E1", 5L), ("E2", 4L)], events.Select(e => (e.Property("event_id")!, e.Count)));
        Assert.All(events, e => Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), e.TimestampMs));
        Assert.All(events, e => Assert.True(e.SessionId is null && e.AnonymousId is null && e.UserId is null));
    }
}
