using Funnel.Core;

Console.WriteLine(FunnelTemplates.Aida);
