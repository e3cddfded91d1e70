package policy

// WP-20.3: GuardDuty with EBS malware protection (baseline).
var _ = register(Rule{ID: "WP-20.3",
	Whole: func(in *Input, e *Eval) {
		if !in.Baseline {
			e.Note("account baseline control: plan the baseline stack")
			return
		}
		dets := in.Graph.OfType(tDetector)
		if len(dets) == 0 || dets[0].Get("enable") == false {
			e.Fail("baseline", "no enabled detector", "a GuardDuty detector")
			return
		}
		for _, f := range in.Graph.OfType(tDetectorFeat) {
			if f.Get("name") == "EBS_MALWARE_PROTECTION" && f.Get("status") == "ENABLED" {
				e.Applies()
				return
			}
		}
		e.Fail(label(dets[0]), "EBS malware protection not enabled", "feature EBS_MALWARE_PROTECTION ENABLED")
	},
})
