// The platform admin's area: a sub-navigation over the overview, the disputes queue and a dispute, testers, organisations and payouts.
import { Link, type AdminSection } from "../router";
import { AdminDisputeScreen } from "./admin/dispute";
import { AdminDisputesScreen } from "./admin/disputes";
import { AdminOrgsScreen, AdminTestersScreen } from "./admin/directory";
import { AdminOverviewScreen } from "./admin/overview";
import { AdminPayoutsScreen } from "./admin/payouts";
import "./admin.css";

const SECTIONS: { section: AdminSection; to: string; label: string }[] = [
  { section: "overview", to: "/admin", label: "Overview" },
  { section: "disputes", to: "/admin/disputes", label: "Disputes" },
  { section: "testers", to: "/admin/testers", label: "Testers" },
  { section: "orgs", to: "/admin/orgs", label: "Organisations" },
  { section: "payouts", to: "/admin/payouts", label: "Payouts" },
];

export function AdminScreen({ section, id }: { section: AdminSection; id?: string }) {
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label="Admin">
        <span className="admin-nav-title">Platform admin</span>
        <ul>
          {SECTIONS.map((item) => {
            const current = item.section === section;
            return (
              <li key={item.section}>
                <Link
                  to={item.to}
                  className={`nav-link${current ? " active" : ""}`}
                  aria-current={current && id === undefined ? "page" : undefined}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {section === "overview" && <AdminOverviewScreen />}
      {section === "disputes" &&
        (id === undefined ? <AdminDisputesScreen /> : <AdminDisputeScreen key={id} id={id} />)}
      {section === "testers" && <AdminTestersScreen />}
      {section === "orgs" && <AdminOrgsScreen />}
      {section === "payouts" && <AdminPayoutsScreen />}
    </div>
  );
}
