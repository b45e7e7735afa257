Feature: BMW and Huawei, 17 March 2025
  Two sources report BMW's software partnership with Huawei for cars made in China:
  a Reuters story republished by Global Banking & Finance Review (HiCar), and an
  unattributed article (HarmonyOS NEXT in the Neue Klasse).

  Background:
    Given the sources of story "bmw-huawei-2025"
    And the aliases:
      | name           | also written as                  |
      | HarmonyOS NEXT | Harmony OS NEXT, HarmonyOS Next   |
      | R&D centres    | R&D centers, research centres     |
      | BMW            | BMW Group                         |

  @id:huawei-partner
  Scenario: Both sources name Huawei as BMW's partner
    Then every source supports "BMW is working with Huawei"

  @id:huawei-system @known-divergence
  Scenario: Which Huawei system goes into China-made BMWs
    Then the sources agree on "Which Huawei system goes into China-made BMWs":
      | value          | also written as                  |
      | HiCar          | Huawei HiCar                     |
      | HarmonyOS NEXT | Harmony OS NEXT                  |

  @id:hicar-2026
  Scenario: HiCar in China-made cars in 2026, as Reuters reports it
    Given the alternatives:
      | value          | also written as |
      | HiCar          | Huawei HiCar    |
      | HarmonyOS NEXT |                 |
    Then source "reuters-via-gbaf" supports "BMW will integrate Huawei HiCar into its China-made cars in 2026"
    And source "harmonyos-neue-klasse" contradicts "BMW will integrate Huawei HiCar into its China-made cars in 2026"

  @id:harmonyos-neue-klasse
  Scenario: HarmonyOS NEXT in China-built Neue Klasse EVs
    Then source "harmonyos-neue-klasse" supports "BMW adopts HarmonyOS NEXT in its Neue Klasse electric vehicles produced in China"
    And source "reuters-via-gbaf" discusses "BMW adopts HarmonyOS NEXT in its Neue Klasse electric vehicles produced in China"

  @id:timing-2026
  Scenario: The new Huawei integration arrives in 2026
    Then at least 2 sources support "BMW's locally produced new models launch with Huawei smart connectivity in 2026"

  @id:timing-wrong-year
  Scenario: A wrong year is contradicted
    Then source "reuters-via-gbaf" contradicts "BMW will integrate Huawei HiCar into its China-made cars in 2028"
    And no source supports "BMW will integrate Huawei HiCar into its China-made cars in 2028"

  @id:app-users-25
  Scenario: Nearly 25% of BMW's app users in China use Huawei devices
    Then source "harmonyos-neue-klasse" supports "Nearly 25% of BMW's mobile application users in China rely on Huawei devices"
    And source "reuters-via-gbaf" does not mention "Nearly 25% of BMW's mobile application users in China rely on Huawei devices"

  @id:app-users-40
  Scenario: A changed share of app users is contradicted
    Then source "harmonyos-neue-klasse" contradicts "40% of BMW's mobile application users in China rely on Huawei devices"

  @id:rd-centres
  Scenario: Four R&D centres in China
    Then source "harmonyos-neue-klasse" supports "BMW has four R&D centres in China"
    And source "reuters-via-gbaf" does not mention "BMW has four R&D centres in China"

  @id:rd-centres-six
  Scenario: A changed number of R&D centres is contradicted
    Then source "harmonyos-neue-klasse" contradicts "BMW has six R&D centres in China"

  @id:idrive-x
  Scenario: iDrive X on Android Automotive for global markets
    Then source "harmonyos-neue-klasse" supports "Neue Klasse models for global markets run iDrive X, based on Android Automotive OS"
    And source "reuters-via-gbaf" does not mention "Neue Klasse models for global markets run iDrive X, based on Android Automotive OS"

  @id:market-swapped
  Scenario: HarmonyOS NEXT for global markets is contradicted
    Given the alternatives:
      | value          | also written as                 |
      | China          | Chinese market                  |
      | global markets | worldwide, international markets |
    Then source "harmonyos-neue-klasse" contradicts "BMW adopts HarmonyOS NEXT for Neue Klasse models in global markets"

  @id:digital-key
  Scenario: A digital key for HarmonyOS users later this year
    Then source "harmonyos-neue-klasse" supports "BMW will introduce a digital key for HarmonyOS users in China in 2025"

  @id:published
  Scenario: Both sources date from 17 March 2025
    Then every source was published on 2025-03-17

  @id:deep-integration
  Scenario: Local Chinese partners in BMW's global innovation system
    Then source "reuters-via-gbaf" supports "BMW wants deep integration of local Chinese partners into its global innovation system"
    And record what each source says about "BMW cooperates with Chinese technology partners"

  @id:consistent-hicar
  Scenario: Each source's headline, summary and FAQ agree with its body on HiCar in 2026
    Then every source is consistent about "BMW will integrate Huawei HiCar into its China-made cars in 2026"
