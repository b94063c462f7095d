using Tally.Core.Events;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class TimestampTests
{
    private static PipelineOutcomeAt Send(string timestampFields) =>
        new(Some.Pipeline(TestPlans.Shop).Process(Some.Track("page_viewed", extra: timestampFields)));

    private sealed record PipelineOutcomeAt(Tally.Core.Pipeline.PipelineOutcome Outcome)
    {
        public CollectedEvent Event => OutcomeAssert.Accepted(Outcome).Event;
    }

    [Fact]
    public void Client_clock_skew_is_corrected_with_sentAt()
    {
        // The client's clock is 5 minutes fast: it says it sent at 10:05, the server received at 10:00.
        var e = Send("\"timestamp\":\"2024-05-21T10:00:00Z\",\"sentAt\":\"2024-05-21T10:05:00Z\"").Event;

        Assert.Equal(new DateTimeOffset(2024, 5, 21, 9, 55, 0, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(Some.Now, e.ReceivedAt);
        Assert.Null(e.OriginalTimestamp);
    }

    [Fact]
    public void Timestamp_without_sentAt_is_kept_as_sent()
    {
        var e = Send("\"timestamp\":\"2024-05-21T09:30:00+02:00\"").Event;
        Assert.Equal(new DateTimeOffset(2024, 5, 21, 7, 30, 0, TimeSpan.Zero), e.Timestamp);
    }

    [Fact]
    public void Timestamp_far_in_the_future_is_clamped_to_receipt_and_the_original_kept()
    {
        const string future = "2024-05-23T10:00:00Z";
        var e = Send($"\"timestamp\":\"{future}\"").Event;

        Assert.Equal(Some.Now, e.Timestamp);
        Assert.Equal(future, e.OriginalTimestamp);
    }

    [Fact]
    public void Timestamp_older_than_the_backfill_limit_is_clamped()
    {
        var e = Send("\"timestamp\":\"2021-01-01T00:00:00Z\"").Event;
        Assert.Equal(Some.Now, e.Timestamp);
        Assert.Equal("2021-01-01T00:00:00Z", e.OriginalTimestamp);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("05/21/2024 10:00")]
    public void Unparsable_timestamp_is_quarantined(string text)
    {
        var q = OutcomeAssert.Quarantined(Send($"\"timestamp\":\"{text}\"").Outcome);
        Assert.Equal(ViolationCodes.BadTimestamp, Assert.Single(q.Reasons).Code);
    }

    [Fact]
    public void Missing_timestamp_means_the_time_of_receipt()
    {
        var e = Send("\"context\":{}").Event;
        Assert.Equal(Some.Now, e.Timestamp);
        Assert.Null(e.OriginalTimestamp);
    }
}

/// <summary>The direct reader of <c>yyyy-MM-ddTHH:mm:ss[.f]Z</c> must agree with the framework parser it short-cuts.</summary>
public class IsoTimestampFastPathTests
{
    [Fact]
    public void Fast_path_agrees_with_the_framework_parser_on_random_timestamps()
    {
        var rnd = new Random(20261122);
        var fastHits = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = RandomTimestamp(rnd);
            var framework = DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var expected);
            if (Tally.Core.Pipeline.IsoTimestamp.TryParseUtc(text, out var fast))
            {
                fastHits++;
                Assert.True(framework, $"the fast path accepted '{text}', the framework did not");
                Assert.Equal(expected, fast);
                Assert.Equal(expected.Offset, fast.Offset);
            }
            Assert.Equal(framework, Tally.Core.Pipeline.IsoTimestamp.TryParse(text, out var viaPublic));
            if (framework) Assert.Equal(expected, viaPublic);
        }
        // The generator mostly makes the common shape, so most inputs must have taken the fast path.
        Assert.True(fastHits > 5_000, $"only {fastHits} inputs took the fast path");
    }

    private static string RandomTimestamp(Random rnd)
    {
        // Mostly valid UTC timestamps with 0–7 fraction digits; sometimes out-of-range fields, offsets, odd
        // separators or a stray character, which the fast path must refuse or read exactly as the framework does.
        var year = rnd.Next(10) == 0 ? rnd.Next(0, 10000) : rnd.Next(1990, 2040);
        var month = rnd.Next(10) == 0 ? rnd.Next(0, 14) : rnd.Next(1, 13);
        var day = rnd.Next(10) == 0 ? rnd.Next(0, 33) : rnd.Next(1, 29);
        var hour = rnd.Next(20) == 0 ? rnd.Next(0, 26) : rnd.Next(0, 24);
        var minute = rnd.Next(20) == 0 ? rnd.Next(0, 62) : rnd.Next(0, 60);
        var second = rnd.Next(20) == 0 ? rnd.Next(0, 62) : rnd.Next(0, 60);
        var digits = rnd.Next(0, 10);
        var fraction = digits == 0 ? "" : "." + string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + rnd.Next(10))));
        var zone = rnd.Next(8) switch { 0 => "+02:00", 1 => "z", 2 => "", _ => "Z" };
        var separator = rnd.Next(10) == 0 ? " " : "T";
        var text = $"{year:D4}-{month:D2}-{day:D2}{separator}{hour:D2}:{minute:D2}:{second:D2}{fraction}{zone}";
        if (rnd.Next(25) == 0)
        {
            var at = rnd.Next(text.Length);
            text = text[..at] + "x" + text[(at + 1)..];
        }
        return text;
    }
}
