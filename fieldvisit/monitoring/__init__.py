"""防返贫监测: monitoring cases and their procedure (cases), the rules for 风险消除
(elimination), and the command line (commands)."""
