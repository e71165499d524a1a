namespace Funnel.Core;

/// <summary>The phase of the funnel a stage belongs to: top (TOFU), middle (MOFU) or bottom (BOFU).</summary>
public enum FunnelPhase
{
    /// <summary>No phase assigned. The <see langword="default"/>.</summary>
    None = 0,

    /// <summary>Top of the funnel (TOFU): attracting attention, awareness.</summary>
    Top = 1,

    /// <summary>Middle of the funnel (MOFU): interest, research, evaluation.</summary>
    Middle = 2,

    /// <summary>Bottom of the funnel (BOFU): decision and purchase.</summary>
    Bottom = 3,

    /// <summary>After the purchase: repeat purchase, loyalty, advocacy.</summary>
    Retention = 4,
}
