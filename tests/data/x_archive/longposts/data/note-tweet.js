window.YTD.note_tweet.part0 = [
  {
    "noteTweet": {
      "noteTweetId": "1700000000000000901",
      "updatedAt": "2026-03-02T03:15:07.000Z",
      "lifecycle": {
        "value": "1",
        "name": "Enabled",
        "originalValue": "1",
        "originalName": "Enabled"
      },
      "createdAt": "2026-03-02T03:15:07.000Z",
      "core": {
        "styletags": [],
        "urls": [
          {
            "shortUrl": "https://t.co/Zz",
            "expandedUrl": "https://clinic.example/needs",
            "displayUrl": "clinic.example/needs"
          }
        ],
        "text": "Night 41 at the north gate. The shelling stopped at 3am & we counted the children in the basement: nineteen, all of them breathing. Rana's asthma is worse, we have one inhaler left and no way to reach the clinic because the bridge road is blocked by rubble. If anyone at the Red Crescent reads this, please, the basement of the old school on Mill Street, we need an inhaler and water for 40 people. I will post again at noon if the network holds. #Harbourtown @redcrescent_hb https://clinic.example/needs",
        "mentions": [
          {
            "screenName": "redcrescent_hb",
            "fromIndex": "0",
            "toIndex": "1"
          }
        ],
        "cashtags": [],
        "hashtags": [
          {
            "text": "Harbourtown",
            "fromIndex": "0",
            "toIndex": "1"
          }
        ]
      }
    }
  },
  {
    "noteTweet": {
      "noteTweetId": "1700000000000000903",
      "updatedAt": "2026-03-02T09:00:01.000Z",
      "lifecycle": {
        "value": "1",
        "name": "Enabled",
        "originalValue": "1",
        "originalName": "Enabled"
      },
      "createdAt": "2026-03-02T09:00:01.000Z",
      "core": {
        "styletags": [],
        "urls": [],
        "text": "الليلة الحادية والأربعون عند البوابة الشمالية. توقف القصف في الثالثة فجراً وعددنا الأطفال في القبو، تسعة عشر طفلاً كلهم يتنفسون. نفد الماء تقريباً ولا نستطيع الوصول إلى المستوصف لأن طريق الجسر مغلق بالركام. إذا كان أحد يقرأ هذا فنحن في قبو المدرسة القديمة في شارع الطاحونة ونحتاج إلى ماء ودواء لأربعين شخصاً. سأكتب مجدداً عند الظهر إن بقيت الشبكة.",
        "mentions": [],
        "cashtags": [],
        "hashtags": []
      }
    }
  },
  {
    "noteTweet": {
      "noteTweetId": "1700000000000000904",
      "updatedAt": "2026-03-01T20:00:00.000Z",
      "lifecycle": {
        "value": "1",
        "name": "Enabled",
        "originalValue": "1",
        "originalName": "Enabled"
      },
      "createdAt": "2026-03-01T20:00:00.000Z",
      "core": {
        "styletags": [],
        "urls": [],
        "text": "A long post whose tweet is not in this archive. A long post whose tweet is not in this archive. A long post whose tweet is not in this archive. A long post whose tweet is not in this archive. A long post whose tweet is not in this archive. A long post whose tweet is not in this archive. A long post whose tweet is not in this archive. A long post whose tweet is not in this archive. ",
        "mentions": [],
        "cashtags": [],
        "hashtags": []
      }
    }
  }
]
