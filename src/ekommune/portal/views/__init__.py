"""Pages of the portal (thin: parse, call a service or selector, render), one module per audience."""
