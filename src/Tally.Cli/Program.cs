using Tally.Cli;

return await TallyApp.RunAsync(args);
