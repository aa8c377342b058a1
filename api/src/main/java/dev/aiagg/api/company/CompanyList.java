package dev.aiagg.api.company;

import java.util.List;

public record CompanyList(List<CompanyView> companies, long total) {
}
