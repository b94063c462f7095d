namespace Tally.Core.Tests.Plans.Linting;

/// <summary>The smallest plan that breaks each rule. A guard test fails when a rule is added without one.</summary>
internal static class LintExamples
{
    public static readonly IReadOnlyDictionary<string, string> Failing = new Dictionary<string, string>
    {
        ["unknown-event"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {}\nfunnels:\n  f:\n    steps: [a_b, a_c]\n",
        ["unknown-property"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b:\n    required: [missing]\n",
        ["property-not-on-event"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nproperties:\n  p: string\nevents:\n  a_b: {}\n  a_c: {}\nfunnels:\n  f:\n    steps: [a_b, 'a_c(p=x)']\n",
        ["duplicate-name"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {}\n  a_b: {}\n",
        ["naming"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nnaming: {style: snake_case}\nevents:\n  AB: {}\n",
        ["pii-unprotected"] = "plan: t\nversion: '1'\nproperties:\n  email: string\n",
        ["sampling-range"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d, sampling: 2}\n",
        ["sampling-below-minimum"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {sampling: 0.1, min_sampling: 0.5}\n",
        ["no-retention"] = "plan: t\nversion: '1'\nevents:\n  a_b: {}\n",
        ["unknown-category"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {category: nope}\n",
        ["archive-after-retention"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d, archive_after: 60d}\nevents:\n  a_b: {}\n",
        ["filter-type"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nproperties:\n  n: number\nevents:\n  a_b: {required: [n]}\n  a_c: {}\nfunnels:\n  f:\n    steps: [a_c, 'a_b(n=x)']\n",
        ["kpi-shape"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {}\nkpis:\n  k: {kind: ratio, numerator: a_b}\n",
        ["funnel-shape"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {}\nfunnels:\n  f: {steps: [a_b]}\n",
        ["envelope"] = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nenvelope: {format: flat, event: ''}\n",
    };
}
