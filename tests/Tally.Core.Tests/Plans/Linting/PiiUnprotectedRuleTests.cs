using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class PiiUnprotectedRuleTests
{
    private const string Code = "pii-unprotected";

    private static string Shared(string name, string definition) => $"plan: t\nversion: '1'\nproperties:\n  {name}: {definition}\n";

    [Theory]
    [InlineData("email", "an email address")]
    [InlineData("e_mail", "an email address")]
    [InlineData("contactEmail", "an email address")]
    [InlineData("email_address", "an email address")]
    [InlineData("phone_number", "a phone number")]
    [InlineData("mobile", "a phone number")]
    [InlineData("name", "a person's name")]
    [InlineData("first_name", "a person's name")]
    [InlineData("lastName", "a person's name")]
    [InlineData("userName", "a person's name")]
    [InlineData("customer_name", "a person's name")]
    [InlineData("street_address", "a postal address")]
    [InlineData("billingAddress", "a postal address")]
    [InlineData("postal_code", "a postal address")]
    [InlineData("user_agent", "a user agent")]
    [InlineData("userAgent", "a user agent")]
    [InlineData("comment", "free-form text")]
    [InlineData("search_query", "free-form text")]
    [InlineData("message_text", "free-form text")]
    [InlineData("notes", "free-form text")]
    [InlineData("free_text", "free-form text")]
    [InlineData("error_message", "free-form text")]
    public void Personal_data_stored_as_sent_is_an_error(string name, string what)
    {
        var d = Assert.Single(Linted.Only(Code, Shared(name, "string")));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(4, d.Location.Line);
        Assert.Contains($"property '{name}' looks like {what}", d.Message);
    }

    [Theory]
    [InlineData("workflow_name", "string")]
    [InlineData("model_name", "string")]
    [InlineData("feature_name", "string")]
    [InlineData("description", "string")]
    [InlineData("ip_country", "string")]
    [InlineData("server_address", "string")]
    [InlineData("orderNumberHash", "string")]
    [InlineData("contactEmailHash", "string")]
    [InlineData("commentLength", "integer")]
    [InlineData("comment_length", "string")]
    [InlineData("notes_count", "string")]
    [InlineData("email_verified", "boolean")]
    [InlineData("email", "{type: enum, values: [opted_in, opted_out]}")]
    [InlineData("email", "{type: string, pii: hash}")]
    [InlineData("comment", "{type: string, pii: length}")]
    [InlineData("email", "{type: string, prehashed: true}")]
    [InlineData("error_message", "{type: string, sanitized: true}")]
    [InlineData("user_agent", "{type: string, pii: drop}")]
    [InlineData("client_ip", "{type: string, pii: ip}")]
    [InlineData("ip_address", "{type: string, pii: hash}")]
    public void Harmless_or_protected_properties_pass(string name, string definition) =>
        Assert.Empty(Linted.Only(Code, Shared(name, definition)));

    [Theory]
    [InlineData("ip_address", "string")]
    [InlineData("client_ip", "{type: string, pii: length}")]
    [InlineData("clientIP", "{type: string, pii: day}")]
    public void IP_addresses_need_ip_hash_or_drop(string name, string definition)
    {
        var d = Assert.Single(Linted.Only(Code, Shared(name, definition)));
        Assert.Contains("an IP address", d.Message);
        Assert.Contains("set pii: ip, hash or drop", d.Message);
    }

    [Fact]
    public void Nested_array_and_event_local_properties_are_checked()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 30d}
            properties:
              contact:
                type: object
                properties:
                  email: string
                  channel: {type: enum, values: [sms, email]}
              recipients:
                type: array
                items:
                  type: object
                  properties:
                    phone: string
              emails: {type: array, items: string}
            events:
              ticket_created:
                properties:
                  note: string
            """;
        var found = Linted.Only(Code, yaml).Select(d => (d.Location.Line, d.Message)).ToList();
        Assert.Equal([8, 15, 16, 20], found.Select(f => f.Line));
        Assert.Contains("'contact.email'", found[0].Message);
        Assert.Contains("'recipients[].phone'", found[1].Message);
        Assert.Contains("'emails'", found[2].Message);
        Assert.StartsWith("event 'ticket_created': property 'note'", found[3].Message);
    }

    [Theory]
    [InlineData("customer", true)]
    [InlineData("contact", true)]
    [InlineData("user", true)]
    [InlineData("vendor", false)]
    [InlineData("workflow", false)]
    public void A_nested_name_is_whose_its_object_says(string parent, bool flagged)
    {
        var yaml = $"plan: t\nversion: '1'\nproperties:\n  {parent}:\n    type: object\n    properties:\n      name: string\n";
        var found = Linted.Only(Code, yaml);
        Assert.Equal(flagged ? 1 : 0, found.Count);
        if (flagged) Assert.Contains($"'{parent}.name' looks like a person's name", found[0].Message);
    }
}
